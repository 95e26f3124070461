#include "adapters/nats/pull_fetcher.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace docprof::adapters::nats {
namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A status message (an empty body with a Status header): the end of a request (404, 408, 409),
// or 503 when nothing answers the API subject. Data messages carry a body or no header.
bool is_status(natsMsg* message) {
  if (natsMsg_GetDataLength(message) > 0) return false;
  const char* status = nullptr;
  return natsMsgHeader_Get(message, "Status", &status) == NATS_OK && status != nullptr;
}

// The body of a pull request for `batch` messages that waits up to `wait_ms` for a first one when
// the consumer has none (no_wait: the server ends it as soon as it has sent any).
std::string request_body(int batch, std::int64_t wait_ms) {
  return "{\"batch\":" + std::to_string(batch) + ",\"no_wait\":true,\"expires\":" +
         std::to_string(std::max(wait_ms, PullFetcher::kLeastWaitMs) * kNanosPerMilli) + "}";
}

}  // namespace

PullFetcher::PullFetcher(natsConnection* connection, std::string stream)
    : connection_(connection), stream_(std::move(stream)) {
  natsInbox* inbox = nullptr;
  natsStatus s = natsInbox_Create(&inbox);
  if (s != NATS_OK) throw std::runtime_error(std::string("NATS: cannot create an inbox: ") + natsStatus_GetText(s));
  inbox_ = inbox;
  natsInbox_Destroy(inbox);
  const std::string subject = inbox_ + ".*";
  s = natsConnection_SubscribeSync(&subscription_, connection_, subject.c_str());
  if (s != NATS_OK) {
    throw std::runtime_error("NATS: cannot subscribe to " + subject + ": " + natsStatus_GetText(s));
  }
}

PullFetcher::~PullFetcher() {
  for (natsMsg* message : spare_) natsMsg_Destroy(message);
  // Messages still in the subscription are dropped with it: the server delivers them again once
  // their AckWait ends.
  natsSubscription_Destroy(subscription_);
}

std::string PullFetcher::consumer_of(natsMsg* message) {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, message) != NATS_OK) return "";
  std::string consumer = meta->Consumer != nullptr ? meta->Consumer : "";
  jsMsgMetaData_Destroy(meta);
  return consumer;
}

natsStatus PullFetcher::reply(natsConnection* connection, natsMsg* message, std::string_view body) {
  const char* subject = natsMsg_GetReply(message);
  if (subject == nullptr || *subject == '\0') return NATS_ILLEGAL_STATE;
  return natsConnection_Publish(connection, subject, body.data(), static_cast<int>(body.size()));
}

PullFetcher::Fetched PullFetcher::fetch(const std::vector<Ask>& asks, int limit, std::int64_t wait_ms) {
  std::lock_guard lock(mu_);
  Fetched out;
  out.got.assign(asks.size(), 0);
  out.answered.assign(asks.size(), false);
  const auto room = [&] { return limit - static_cast<int>(out.messages.size()); };
  const auto keep = [&](natsMsg* message) {
    if (room() > 0) out.messages.push_back(message);
    else spare_.push_back(message);
  };

  // What came late to earlier fetches first: it is delivered to this process already.
  while (!spare_.empty() && room() > 0) {
    out.messages.push_back(spare_.front());
    spare_.pop_front();
  }
  for (natsMsg* message = nullptr; natsSubscription_NextMsg(&message, subscription_, 0) == NATS_OK;) {
    if (is_status(message)) natsMsg_Destroy(message);  // the end of a request given up on
    else keep(message);
  }

  // One request per ask, as many messages as there is room for, all sent before any answer is read.
  struct Request {
    std::size_t ask = 0;
    std::string reply;
    int batch = 0;
    bool open = true;
  };
  std::vector<Request> requests;
  int budget = room();
  for (std::size_t i = 0; i < asks.size() && budget > 0; ++i) {
    const int batch = std::min(asks[i].batch, budget);
    if (batch <= 0) continue;
    budget -= batch;
    Request request{i, inbox_ + "." + std::to_string(++next_request_), batch};
    const std::string subject = "$JS.API.CONSUMER.MSG.NEXT." + stream_ + "." + asks[i].durable;
    const std::string body = request_body(batch, asks[i].wait_ms);
    const natsStatus s = natsConnection_PublishRequest(connection_, subject.c_str(), request.reply.c_str(),
                                                       body.data(), static_cast<int>(body.size()));
    if (s != NATS_OK) {
      for (natsMsg* message : out.messages) spare_.push_back(message);  // handed out by the next fetch
      throw std::runtime_error("NATS: cannot ask " + asks[i].durable + " for messages: " + natsStatus_GetText(s));
    }
    requests.push_back(std::move(request));
  }

  // The answers: messages (matched to the open request of their consumer) and the statuses that
  // end partly filled requests.
  std::size_t open = requests.size();
  const std::int64_t deadline = steady_ms() + wait_ms;
  while (open > 0) {
    const std::int64_t left = deadline - steady_ms();
    if (left <= 0) break;
    natsMsg* message = nullptr;
    if (natsSubscription_NextMsg(&message, subscription_, left) != NATS_OK) break;
    if (is_status(message)) {
      const std::string_view subject = natsMsg_GetSubject(message);
      for (auto& request : requests) {
        if (request.open && request.reply == subject) {
          request.open = false;
          out.answered[request.ask] = true;
          --open;
        }
      }
      natsMsg_Destroy(message);
      continue;
    }
    const std::string consumer = consumer_of(message);
    for (auto& request : requests) {
      if (!request.open || asks[request.ask].durable != consumer) continue;
      if (++out.got[request.ask] == request.batch) {
        request.open = false;  // filled: the server sends no status after a full batch
        out.answered[request.ask] = true;
        --open;
      }
      break;
    }
    keep(message);
  }
  return out;
}

}  // namespace docprof::adapters::nats
