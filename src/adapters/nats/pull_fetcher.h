// PullFetcher: fetches messages from a stream's durable pull consumers with JetStream's pull
// requests ($JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>) sent over core NATS — several consumers
// in one round trip — instead of cnats's natsSubscription_FetchRequest, for two reasons:
// * In cnats 3.4 a fetch that finds messages already waiting in its subscription (answers that
//   reached it after an earlier fetch gave up) can write past its message array.
// * A fetch waits for the server no longer than the request's expiry, so a request that should not
//   wait (an empty consumer answers at once) either makes the server wait that expiry too, or is
//   given up before its answer comes.
// Every request is `no_wait`: the server answers at once with what the consumer has, closing a
// partly filled request with a status (404 no messages, 408 request done). Every request also has
// an expiry (kLeastWaitMs at least): without one, a request made while the consumer had a message
// that another process then took would stay open at the server until the consumer's next message.
// The server may end an expired request without a word (nats-server 2.9 does, when a message comes
// for it after its expiry), so a fetch waits for its answers a bounded time, not for every status.
// Answers come to one subscription on "<inbox>.*", each request having its own reply subject
// "<inbox>.<n>", so a status closes only its own request. A message that arrives after its fetch
// stopped waiting is not lost: it stays in the subscription (it is delivered to this process, its
// AckWait running), and the next fetch hands it out first.
//
// Messages fetched here are core messages to cnats (natsMsg_Ack needs a JetStream subscription):
// answer them with reply().
//
// Thread safety: fetch() may be called from any thread; calls run one at a time.
//
// Internal to the NATS adapter: included only by its .cpp files (it exposes cnats's types).
#pragma once

#include <nats/nats.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::adapters::nats {

class PullFetcher {
 public:
  // The least a request waits at the server for a first message when its consumer has none.
  static constexpr std::int64_t kLeastWaitMs = 2;

  // One request: up to `batch` messages of the durable consumer `durable`; the server waits up to
  // wait_ms (kLeastWaitMs at least) for a first message when the consumer has none.
  struct Ask {
    std::string durable;
    int batch = 1;
    std::int64_t wait_ms = 0;
  };
  // What a fetch brought: messages (owned by the caller), and which asks were answered in full
  // (their consumer may have more) or came back empty.
  struct Fetched {
    std::vector<natsMsg*> messages;
    std::vector<int> got;  // per ask: its messages among `messages` (late ones from earlier fetches excluded)
    std::vector<bool> answered;  // per ask: the server ended the request (or filled it) before the wait ended
  };

  // Subscribes to a fresh inbox on `connection` (which must outlive this). Throws
  // std::runtime_error when it cannot.
  PullFetcher(natsConnection* connection, std::string stream);
  ~PullFetcher();
  PullFetcher(const PullFetcher&) = delete;
  PullFetcher& operator=(const PullFetcher&) = delete;

  // First the messages that came after earlier fetches stopped waiting (at most `limit`; more stay
  // for the next fetch), then one request per ask, all sent at once, waiting up to `wait_ms` in all
  // for their answers (give the server the longest ask's wait and some time to answer). Asks
  // beyond `limit` are cut down (or not sent), so it never returns more than `limit` messages.
  // Throws std::runtime_error when a request cannot be sent (the connection is closed).
  Fetched fetch(const std::vector<Ask>& asks, int limit, std::int64_t wait_ms);

  // The durable consumer that delivered `message` ("" when its reply subject is not a
  // JetStream acknowledgement subject).
  static std::string consumer_of(natsMsg* message);

  // Answers a fetched message: "+ACK", "-NAK", "-NAK {\"delay\":<ns>}", "+WPI" (in progress),
  // "+TERM". Returns the cnats status (NATS_OK once it is on its way).
  static natsStatus reply(natsConnection* connection, natsMsg* message, std::string_view body);

 private:
  natsConnection* connection_;
  std::string stream_;
  std::string inbox_;
  natsSubscription* subscription_ = nullptr;
  std::mutex mu_;
  std::uint64_t next_request_ = 0;
  std::deque<natsMsg*> spare_;  // delivered late, more than a fetch's limit: handed out next
};

}  // namespace docprof::adapters::nats
