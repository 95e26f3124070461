#include "adapters/llm/aws_sigv4.h"

#include "util/digest.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>

namespace docprof::adapters::llm {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Trim, and fold inner runs of spaces to one (SigV4 "Trimall").
std::string trim_all(const std::string& value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string uri_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

}  // namespace

std::string hmac_sha256(const std::string& key, const std::string& data) {
  const std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) throw std::runtime_error("HMAC unavailable (EVP_MAC_fetch)");
  const std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) throw std::runtime_error("HMAC context allocation failed");
  char digest_name[] = "SHA256";
  const std::array<OSSL_PARAM, 2> params{
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0), OSSL_PARAM_END};
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  std::size_t size = 0;
  if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                   params.data()) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) != 1) {
    throw std::runtime_error("HMAC-SHA256 failed (EVP_MAC)");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string aws_uri_encode(const std::string& text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

std::string canonical_uri(const std::string& wire_path) {
  // Non-S3 services: the path as sent is URI-encoded once more, segment by segment.
  if (wire_path.empty()) return "/";
  return aws_uri_encode(wire_path, true);
}

std::string canonical_query(const std::string& wire_query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= wire_query.size() && !wire_query.empty()) {
    std::size_t end = wire_query.find('&', start);
    if (end == std::string::npos) end = wire_query.size();
    const std::string item = wire_query.substr(start, end - start);
    if (!item.empty()) {
      const std::size_t eq = item.find('=');
      const std::string name = item.substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
      params.emplace_back(aws_uri_encode(uri_decode(name), false),
                          aws_uri_encode(uri_decode(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::string sigv4_amz_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buffer{};
  const std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buffer.data(), n);
}

SigV4Result sign_sigv4(const SigV4Request& request, const AwsCredentials& credentials,
                       const std::string& amz_date) {
  if (amz_date.size() != 16) throw std::invalid_argument("amz_date must be YYYYMMDDTHHMMSSZ");
  SigV4Result result;
  result.amz_date = amz_date;
  result.payload_sha256 = util::sha256_hex(request.payload);

  // Lower-cased name -> values (several headers of one name are joined with ',').
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string& slot = headers[lower(name)];
    slot = slot.empty() ? trim_all(value) : slot + "," + trim_all(value);
  }
  if (!headers.contains("host")) headers["host"] = request.host;
  if (!headers.contains("x-amz-date")) {
    headers["x-amz-date"] = amz_date;
    result.headers_to_add.emplace_back("X-Amz-Date", amz_date);
  }
  if (credentials.session_token && !headers.contains("x-amz-security-token")) {
    headers["x-amz-security-token"] = *credentials.session_token;
    result.headers_to_add.emplace_back("X-Amz-Security-Token", *credentials.session_token);
  }

  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }

  result.canonical_request = request.method + "\n" + canonical_uri(request.path) + "\n" +
                             canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                             signed_headers + "\n" + result.payload_sha256;

  const std::string date = amz_date.substr(0, 8);
  const std::string scope = date + "/" + request.region + "/" + request.service + "/aws4_request";
  result.string_to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + util::sha256_hex(result.canonical_request);

  std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
  key = hmac_sha256(key, request.region);
  key = hmac_sha256(key, request.service);
  key = hmac_sha256(key, "aws4_request");
  const std::string raw = hmac_sha256(key, result.string_to_sign);
  result.signature = util::to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                         ", SignedHeaders=" + signed_headers + ", Signature=" + result.signature;
  return result;
}

}  // namespace docprof::adapters::llm
