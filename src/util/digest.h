// Hex encoding and SHA-256 (OpenSSL EVP_Digest), shared by the request signer of the AWS provider
// and the HTTP API's token hashes, so there is one implementation of each.
// Thread safety: stateless functions, safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docprof::util {

// Lower-case hex of `size` bytes.
std::string to_hex(const unsigned char* data, std::size_t size);
// SHA-256 of `data` as 64 lower-case hex characters. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);
// SHA-256 of the file at `path`, read a megabyte at a time (memory stays bounded whatever its
// size); nullopt when it cannot be read. Throws std::runtime_error if OpenSSL fails.
std::optional<std::string> sha256_file_hex(const std::string& path);

}  // namespace docprof::util
