#include "adapters/nats/nats_event_queue.h"

#include <nats/nats.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "domain/events_json.h"

namespace docprof::adapters::nats {
namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kApiWaitMs = 5'000;  // a JetStream API call or a publish's ack
// How long the server may hold a fetch that it can only partly fill, and the client wait for its
// answer (an empty consumer answers at once). Messages arriving later stay in the subscription and
// are handed out by the next fetch.
constexpr std::int64_t kFetchWaitMs = 2;
// JetStream acknowledges a publish once the stream has stored the message; its consumer learns of
// it a moment later. A lease that finds a consumer empty within kRecentPublishMs of this process
// publishing to it waits up to kSettleWaitMs for the message rather than missing it.
constexpr std::int64_t kRecentPublishMs = 100;
constexpr std::int64_t kSettleWaitMs = 5;
// With the work subscription (on_work), a lease fetches from the consumers a publish was seen for;
// all of them — for redeliveries, given-back and delayed events, which no publish announces — at
// most every kSweepMs, or when the hinted ones had nothing.
constexpr std::int64_t kSweepMs = 25;
// An ingestion run's steps take seconds (model calls, embedding a book): its consumers are swept
// (for redeliveries) only every kIngestSweepMs, so that they add no round trips to every course
// step's lease; the events a publish announces are fetched at once as for any consumer.
constexpr std::int64_t kIngestSweepMs = 250;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string status_text(natsStatus status) {
  const char* last = nats_GetLastError(nullptr);
  std::string text = natsStatus_GetText(status);
  if (last != nullptr && *last != '\0' && text != last) text += std::string(" (") + last + ")";
  return text;
}

[[noreturn]] void fail(const std::string& what, natsStatus status, jsErrCode code = static_cast<jsErrCode>(0)) {
  std::string message = "NATS: " + what + ": " + status_text(status);
  if (code != 0) message += " [JetStream error " + std::to_string(static_cast<int>(code)) + "]";
  throw std::runtime_error(message);
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One consumer: its event type, durable name, subject and this process's pull subscription.
struct Consumer {
  domain::EventType type = domain::EventType::CourseRequested;
  std::string durable;
  std::string subject;
  natsSubscription* subscription = nullptr;
  std::unique_ptr<std::mutex> fetching = std::make_unique<std::mutex>();  // one fetch at a time (cnats)
  // steady_ms() of this process's last publish to the subject; 0 once a lease has waited for it.
  std::unique_ptr<std::atomic<std::int64_t>> published_at = std::make_unique<std::atomic<std::int64_t>>(0);
  // Publishes to the subject the work subscription saw since a fetch last found the consumer empty.
  std::unique_ptr<std::atomic<int>> announced = std::make_unique<std::atomic<int>>(0);
  // How often a sweep fetches from it unannounced, and when one last did (steady_ms()).
  std::int64_t sweep_every_ms = kSweepMs;
  std::unique_ptr<std::atomic<std::int64_t>> swept_at = std::make_unique<std::atomic<std::int64_t>>(0);
};

// A message this process leased and has not yet acknowledged or given back.
struct Held {
  natsMsg* message = nullptr;
  std::string key;  // consumer + stream sequence: the same message over its deliveries
};

std::string message_key(const std::string& durable, std::uint64_t stream_seq) {
  return durable + "#" + std::to_string(stream_seq);
}

}  // namespace

struct NatsEventQueue::State {
  NatsBusOptions options;
  natsOptions* connect_options = nullptr;
  natsConnection* connection = nullptr;
  jsCtx* jetstream = nullptr;
  std::vector<Consumer> consumers;
  natsSubscription* work_subscription = nullptr;

  std::mutex mu;
  std::size_t next_consumer = 0;                // round robin over the consumers
  std::map<std::string, Held> held;             // by delivery id
  std::map<std::string, std::string> latest;    // message key -> the delivery id holding it now
  std::map<std::string, std::string> errors;    // message key -> the error it was given back with
  std::map<std::string, std::int64_t> delayed;  // message key -> when its retry is due
  std::mutex listener_mu;  // held while the listener runs: on_work(nullptr) waits for a running call
  std::function<void()> listener;
  std::atomic<std::int64_t> last_sweep_ms{0};  // steady_ms() of the last lease over every consumer
  std::atomic<bool> announcing{false};         // the work subscription counts publishes per consumer
  // publish_then's callbacks by event id, until the stream acknowledges the event.
  std::mutex acks_mu;
  std::unordered_map<std::string, std::vector<std::function<void()>>> awaiting;
  bool closing = false;  // set once the destructor has waited: late acknowledgements run nothing

  ~State() {
    if (jetstream != nullptr) {
      jsPubOptions wait;
      jsPubOptions_Init(&wait);
      wait.MaxWait = kApiWaitMs;
      js_PublishAsyncComplete(jetstream, &wait);  // outstanding publish_then acknowledgements
    }
    {
      std::lock_guard lock(acks_mu);
      closing = true;
      awaiting.clear();
    }
    for (auto& [id, entry] : held) natsMsg_Destroy(entry.message);
    if (work_subscription != nullptr) natsSubscription_Destroy(work_subscription);
    for (auto& consumer : consumers) {
      if (consumer.subscription != nullptr) natsSubscription_Destroy(consumer.subscription);
    }
    if (jetstream != nullptr) jsCtx_Destroy(jetstream);
    if (connection != nullptr) natsConnection_Destroy(connection);
    if (connect_options != nullptr) natsOptions_Destroy(connect_options);
  }

  jsOptions api_options() const {
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = kApiWaitMs;
    return o;
  }

  void connect() {
    natsStatus s = natsOptions_Create(&connect_options);
    if (s != NATS_OK) fail("cannot create connection options", s);
    if ((s = natsOptions_SetURL(connect_options, options.url.c_str())) != NATS_OK) {
      fail("bad bus.url '" + options.url + "'", s);
    }
    natsOptions_SetSendAsap(connect_options, true);       // a step waits on each publish: no batching
    natsOptions_SetMaxReconnect(connect_options, -1);     // a broker restart is waited out
    natsOptions_SetReconnectWait(connect_options, 250);
    natsOptions_SetTimeout(connect_options, kApiWaitMs);  // the first connection
    natsOptions_SetReconnectBufSize(connect_options, 8 * 1024 * 1024);
    if (!options.credentials_file.empty()) {
      s = natsOptions_SetUserCredentialsFromFiles(connect_options, options.credentials_file.c_str(), nullptr);
      if (s != NATS_OK) fail("cannot use bus.credentials_file " + options.credentials_file, s);
    }
    if ((s = natsConnection_Connect(&connection, connect_options)) != NATS_OK) {
      fail("cannot connect to " + options.url + " (is nats-server -js running there?)", s);
    }
    jsOptions o = api_options();
    o.PublishAsync.AckHandler = on_publish_acknowledged;
    o.PublishAsync.AckHandlerClosure = this;
    o.PublishAsync.MaxPending = 100'000;
    if ((s = natsConnection_JetStream(&jetstream, connection, &o)) != NATS_OK) fail("no JetStream context", s);
  }

  // The stream's answer to a publish_then: its callbacks run when the stream stored the event.
  static void on_publish_acknowledged(jsCtx*, natsMsg* message, jsPubAck* ack, jsPubAckErr* error, void* closure) {
    auto* state = static_cast<State*>(closure);
    const char* event_id = nullptr;
    std::vector<std::function<void()>> callbacks;
    if (natsMsgHeader_Get(message, "Nats-Msg-Id", &event_id) == NATS_OK && event_id != nullptr) {
      std::lock_guard lock(state->acks_mu);
      if (const auto found = state->awaiting.find(event_id); found != state->awaiting.end()) {
        if (ack != nullptr && !state->closing) callbacks = std::move(found->second);
        state->awaiting.erase(found);
      }
    }
    if (error != nullptr) {
      spdlog::warn("NATS: publishing {} was not confirmed ({}); its run's outbox keeps it for the relay",
                   event_id != nullptr ? event_id : "an event",
                   error->ErrText != nullptr ? error->ErrText : natsStatus_GetText(error->Err));
    }
    natsMsg_Destroy(message);
    for (auto& callback : callbacks) {
      try {
        callback();
      } catch (const std::exception& e) {
        spdlog::warn("after publishing: {}", e.what());
      }
    }
  }

  void ensure_stream() {
    const std::string subjects = options.subject_prefix + ".>";
    const char* subject_list[] = {subjects.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = options.stream.c_str();
    config.Subjects = subject_list;
    config.SubjectsLen = 1;
    config.Retention = js_WorkQueuePolicy;
    config.Storage = js_FileStorage;
    config.Replicas = options.replicas;
    config.MaxMsgSize = static_cast<std::int32_t>(domain::kMaxEventBytes + 4096);  // the envelope and headers
    config.Duplicates = 120'000 * kNanosPerMilli;  // the window of Nats-Msg-Id de-duplication
    jsStreamInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    jsOptions o = api_options();
    natsStatus s = js_AddStream(&info, jetstream, &config, &o, &code);
    if (s != NATS_OK && code == JSStreamNameExistErr) s = js_UpdateStream(&info, jetstream, &config, &o, &code);
    if (info != nullptr) jsStreamInfo_Destroy(info);
    if (s != NATS_OK) fail("cannot create the stream " + options.stream, s, code);
  }

  void ensure_consumer(Consumer& consumer) {
    jsConsumerConfig config;
    jsConsumerConfig_Init(&config);
    config.Durable = consumer.durable.c_str();
    config.FilterSubject = consumer.subject.c_str();
    config.AckPolicy = js_AckExplicit;
    config.AckWait = options.ack_wait_ms * kNanosPerMilli;
    config.MaxDeliver = -1;  // docprof counts attempts and dead-letters itself
    config.MaxAckPending = 100'000;
    config.DeliverPolicy = js_DeliverAll;
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    jsOptions o = api_options();
    natsStatus s = js_GetConsumerInfo(&info, jetstream, options.stream.c_str(), consumer.durable.c_str(), &o, &code);
    if (s == NATS_OK) {
      const bool same = info->Config != nullptr && info->Config->AckWait == config.AckWait;
      jsConsumerInfo_Destroy(info);
      info = nullptr;
      // Another lease length (queue.lease_seconds changed): the consumer follows the newest process.
      if (!same) s = js_UpdateConsumer(&info, jetstream, options.stream.c_str(), &config, &o, &code);
    } else {
      s = js_AddConsumer(&info, jetstream, options.stream.c_str(), &config, &o, &code);
      if (s != NATS_OK && code == JSConsumerNameExistErr) s = NATS_OK;  // another process was quicker
    }
    if (info != nullptr) jsConsumerInfo_Destroy(info);
    if (s != NATS_OK) fail("cannot create the consumer " + consumer.durable, s, code);

    jsSubOptions bind;
    jsSubOptions_Init(&bind);
    bind.Stream = options.stream.c_str();
    bind.Consumer = consumer.durable.c_str();
    code = static_cast<jsErrCode>(0);
    s = js_PullSubscribe(&consumer.subscription, jetstream, consumer.subject.c_str(), consumer.durable.c_str(), &o,
                         &bind, &code);
    if (s != NATS_OK) fail("cannot subscribe to the consumer " + consumer.durable, s, code);
  }

  // Fetches up to `max` messages of one consumer without waiting (empty when it has none), or with
  // `settle` waiting up to kSettleWaitMs for a message that is on its way (the first only).
  //
  // One message per fetch request: cnats 3.4 sizes a fetch's message array by its batch, but counts
  // into it every message that reaches the subscription meanwhile — also the late answers to an
  // earlier request that its client-side expiry gave up on (a loaded server answers after it) — and
  // writes past the array's end (heap corruption, seen under load). A fetch of one ends at its first
  // message, whatever its source; late messages wait in the subscription for the next fetch, which
  // takes them without a round trip.
  std::vector<natsMsg*> fetch(Consumer& consumer, int max, bool settle = false) {
    std::vector<natsMsg*> out;
    std::lock_guard lock(*consumer.fetching);
    while (static_cast<int>(out.size()) < max) {
      const bool wait = settle && out.empty();
      jsFetchRequest request;
      jsFetchRequest_Init(&request);
      request.Batch = 1;
      request.NoWait = !wait;
      request.Expires = (wait ? kSettleWaitMs : kFetchWaitMs) * kNanosPerMilli;
      natsMsgList list{};
      const natsStatus s = natsSubscription_FetchRequest(&list, consumer.subscription, &request);
      const int got = s == NATS_OK ? std::min(list.Count, 1) : 0;
      for (int i = 0; i < got; ++i) {
        out.push_back(list.Msgs[i]);
        list.Msgs[i] = nullptr;
      }
      natsMsgList_Destroy(&list);
      if (s != NATS_OK && s != NATS_TIMEOUT && s != NATS_NOT_FOUND) {
        for (natsMsg* message : out) natsMsg_Destroy(message);
        fail("fetching from " + consumer.durable, s);
      }
      if (got == 0) break;  // the consumer has nothing more now
    }
    return out;
  }

  // Turns a fetched message into a delivery and holds it. Unreadable messages are acknowledged
  // and skipped (nullopt): nothing could ever run them.
  std::optional<ports::Delivery> hold(const Consumer& consumer, natsMsg* message, const std::string& worker_id,
                                      std::int64_t now_ms) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, message) != NATS_OK) {
      natsMsg_Destroy(message);
      return std::nullopt;
    }
    const std::uint64_t stream_seq = meta->Sequence.Stream;
    const auto delivered = static_cast<std::int64_t>(meta->NumDelivered);
    jsMsgMetaData_Destroy(meta);
    const char* data = natsMsg_GetData(message);
    const std::string text(data == nullptr ? "" : data, static_cast<std::size_t>(natsMsg_GetDataLength(message)));
    domain::Result<domain::Envelope> envelope = [&]() -> domain::Result<domain::Envelope> {
      try {
        return domain::envelope_from_json(nlohmann::json::parse(text));
      } catch (const nlohmann::json::exception& e) {
        return domain::Error{"invalid_event", e.what()};
      }
    }();
    if (!envelope) {
      natsMsg_Term(message, nullptr);
      natsMsg_Destroy(message);
      return std::nullopt;
    }
    ports::Delivery delivery;
    delivery.delivery_id = message_key(consumer.durable, stream_seq) + "#" + std::to_string(delivered);
    delivery.event = std::move(envelope).value();
    delivery.event.attempt = static_cast<int>(std::min<std::int64_t>(delivered, 1'000'000));
    delivery.worker_id = worker_id;
    delivery.leased_until_ms = now_ms + options.ack_wait_ms;
    const std::string key = message_key(consumer.durable, stream_seq);
    std::lock_guard lock(mu);
    if (delivered > 1) {
      const auto error = errors.find(key);
      delivery.previous_error =
          error != errors.end()
              ? error->second
              : "the previous delivery (attempt " + std::to_string(delivered - 1) +
                    ") was not acknowledged within the lease: its worker died, stalled or gave it back";
    }
    // A newer delivery of a message fences the older one held here.
    if (const auto old = latest.find(key); old != latest.end()) {
      if (const auto entry = held.find(old->second); entry != held.end()) {
        natsMsg_Destroy(entry->second.message);
        held.erase(entry);
      }
    }
    latest[key] = delivery.delivery_id;
    delayed.erase(key);
    held.emplace(delivery.delivery_id, Held{message, key});
    return delivery;
  }

  // Takes a held message out of the table (nullptr when the delivery is stale or done).
  natsMsg* release(const std::string& delivery_id, std::string* key_out) {
    std::lock_guard lock(mu);
    const auto entry = held.find(delivery_id);
    if (entry == held.end()) return nullptr;
    natsMsg* message = entry->second.message;
    *key_out = entry->second.key;
    if (const auto l = latest.find(entry->second.key); l != latest.end() && l->second == delivery_id) latest.erase(l);
    held.erase(entry);
    return message;
  }
};

std::string NatsEventQueue::subject_of(const NatsBusOptions& options, domain::EventType type) {
  return options.subject_prefix + "." + std::string(domain::to_string(domain::run_kind_of(type))) + "." +
         std::string(domain::to_string(type));
}

NatsEventQueue::NatsEventQueue(NatsBusOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  auto types = state_->options.event_types;
  if (types.empty()) {
    for (int i = 0; i < domain::kEventTypeCount; ++i) types.push_back(static_cast<domain::EventType>(i));
  }
  state_->connect();
  state_->ensure_stream();
  for (const auto type : types) {
    Consumer consumer;
    consumer.type = type;
    // "course-<EventType>" or "ingest-<EventType>": a course type's consumer keeps its name across upgrades.
    consumer.durable = std::string(domain::to_string(domain::run_kind_of(type))) + "-" +
                       std::string(domain::to_string(type));
    consumer.subject = subject_of(state_->options, type);
    if (domain::run_kind_of(type) == domain::RunKind::ingest) consumer.sweep_every_ms = kIngestSweepMs;
    state_->consumers.push_back(std::move(consumer));
  }
  for (auto& consumer : state_->consumers) state_->ensure_consumer(consumer);
}

NatsEventQueue::~NatsEventQueue() = default;

namespace {

// The event's message body; std::length_error for one longer than an event may be.
std::string event_text(const domain::Envelope& event) {
  std::string text = nlohmann::json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > domain::kMaxEventBytes) {
    throw std::length_error("event " + event.event_id + " (" + std::string(domain::to_string(event.type())) +
                            ") is " + std::to_string(text.size()) + " bytes, more than the " +
                            std::to_string(domain::kMaxEventBytes) + " an event may hold");
  }
  return text;
}

// A publish of `event` (which must outlive the options): `Nats-Msg-Id` is the event id, so the
// stream drops a second copy (and an asynchronous publish's acknowledgement names its event);
// the broker's answer is awaited kApiWaitMs at most.
jsPubOptions publish_options_for(const domain::Envelope& event) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MsgId = event.event_id.c_str();
  options.MaxWait = kApiWaitMs;
  return options;
}

}  // namespace

void NatsEventQueue::note_published(domain::EventType type) {
  for (auto& consumer : state_->consumers) {
    if (consumer.type == type) consumer.published_at->store(steady_ms());
  }
}

void NatsEventQueue::publish(const domain::Envelope& event, std::int64_t /*available_at_ms: immediate*/) {
  const std::string text = event_text(event);
  const std::string subject = subject_of(state_->options, event.type());
  jsPubOptions publish_options = publish_options_for(event);
  jsPubAck* ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_Publish(&ack, state_->jetstream, subject.c_str(), text.data(), static_cast<int>(text.size()),
                                  &publish_options, &code);
  if (ack != nullptr) jsPubAck_Destroy(ack);
  if (s != NATS_OK) fail("publishing " + std::string(domain::to_string(event.type())) + " of " + event.course_id, s, code);
  note_published(event.type());
}

void NatsEventQueue::publish_then(const domain::Envelope& event, std::int64_t /*available_at_ms: immediate*/,
                                  std::function<void()> stored) {
  const std::string text = event_text(event);
  const std::string subject = subject_of(state_->options, event.type());
  {
    std::lock_guard lock(state_->acks_mu);
    state_->awaiting[event.event_id].push_back(std::move(stored));
  }
  jsPubOptions publish_options = publish_options_for(event);  // past MaxWait, the callback is dropped
  const natsStatus s = js_PublishAsync(state_->jetstream, subject.c_str(), text.data(), static_cast<int>(text.size()),
                                       &publish_options);
  if (s != NATS_OK) {
    {
      std::lock_guard lock(state_->acks_mu);
      state_->awaiting.erase(event.event_id);
    }
    fail("publishing " + std::string(domain::to_string(event.type())) + " of " + event.course_id, s);
  }
  note_published(event.type());
}

std::vector<ports::Delivery> NatsEventQueue::lease(int max, const std::string& worker_id, std::int64_t now_ms,
                                                   std::int64_t /*lease_ms: the consumers' AckWait*/) {
  std::vector<ports::Delivery> out;
  if (max <= 0) return out;
  std::size_t start = 0;
  {
    std::lock_guard lock(state_->mu);
    start = state_->next_consumer++;
  }
  const std::size_t n = state_->consumers.size();
  const auto lease_from = [&](Consumer& consumer) {
    // A batch only partly filled within the fetch's short expiry (a loaded server or client) may
    // have more behind it: fetch again until a fetch comes back empty or the lease is full.
    for (;;) {
      const int wanted = max - static_cast<int>(out.size());
      if (wanted <= 0) break;
      std::vector<natsMsg*> fetched = state_->fetch(consumer, wanted);
      std::int64_t published = consumer.published_at->load();
      if (fetched.empty() && published != 0 && steady_ms() - published <= kRecentPublishMs &&
          consumer.published_at->compare_exchange_strong(published, 0)) {
        fetched = state_->fetch(consumer, wanted, /*settle=*/true);  // the event just published, on its way
      }
      for (natsMsg* message : fetched) {
        if (auto delivery = state_->hold(consumer, message, worker_id, now_ms)) out.push_back(std::move(*delivery));
      }
      if (fetched.empty()) consumer.announced->store(0);
      if (fetched.empty() || static_cast<int>(fetched.size()) >= wanted) break;
    }
  };
  // The consumers a publish was announced for first (an empty fetch of the others is a wasted round
  // trip); every consumer when there is no work subscription, when it is time for a sweep, or when
  // the announced ones had nothing.
  const std::int64_t started = steady_ms();
  bool sweep = !state_->announcing.load() || started - state_->last_sweep_ms.load() >= kSweepMs;
  if (!sweep) {
    for (std::size_t i = 0; i < n && static_cast<int>(out.size()) < max; ++i) {
      Consumer& consumer = state_->consumers[(start + i) % n];
      if (consumer.announced->load() > 0) lease_from(consumer);
    }
    sweep = out.empty();
  }
  if (sweep) {
    state_->last_sweep_ms.store(started);
    for (std::size_t i = 0; i < n && static_cast<int>(out.size()) < max; ++i) {
      Consumer& consumer = state_->consumers[(start + i) % n];
      // Without a work subscription every lease asks every consumer (nothing announces events).
      const bool due = !state_->announcing.load() || consumer.announced->load() > 0 ||
                       started - consumer.swept_at->load() >= consumer.sweep_every_ms;
      if (!due) continue;
      consumer.swept_at->store(started);
      lease_from(consumer);
    }
  }
  return out;
}

std::vector<ports::Delivery> NatsEventQueue::lease_run(const std::string& /*course_id*/, int max,
                                                       const std::string& worker_id, std::int64_t now_ms,
                                                       std::int64_t lease_ms) {
  // A shared consumer cannot be filtered by run (see the header): any run's events.
  return lease(max, worker_id, now_ms, lease_ms);
}

bool NatsEventQueue::extend(const ports::Delivery& delivery, std::int64_t /*until_ms: now + AckWait*/) {
  std::lock_guard lock(state_->mu);
  const auto entry = state_->held.find(delivery.delivery_id);
  if (entry == state_->held.end()) return false;
  natsStatus s = natsMsg_InProgress(entry->second.message, nullptr);
  if (s == NATS_OK) s = natsConnection_FlushTimeout(state_->connection, kApiWaitMs);  // the server has it
  if (s != NATS_OK) fail("extending the lease of " + delivery.event.event_id, s);
  return true;
}

void NatsEventQueue::ack(const ports::Delivery& delivery) {
  std::string key;
  natsMsg* message = state_->release(delivery.delivery_id, &key);
  if (message == nullptr) return;  // stale: a newer delivery holds it, or done already
  // Not waited for: the step's effects are committed already, so an ack the server never gets only
  // brings the message back after its lease, and the run finds it a duplicate. Waiting for the
  // server's confirmation would add a round trip to every step.
  const natsStatus s = natsMsg_Ack(message, nullptr);
  natsMsg_Destroy(message);
  {
    std::lock_guard lock(state_->mu);
    state_->errors.erase(key);
    state_->delayed.erase(key);
  }
  if (s != NATS_OK) fail("acknowledging " + delivery.event.event_id, s, static_cast<jsErrCode>(0));
}

void NatsEventQueue::retry_later(const ports::Delivery& delivery, std::int64_t available_at_ms,
                                 const std::string& error) {
  std::string key;
  natsMsg* message = state_->release(delivery.delivery_id, &key);
  if (message == nullptr) return;
  const std::int64_t delay = std::max<std::int64_t>(0, available_at_ms - wall_ms());
  natsStatus s = delay > 0 ? natsMsg_NakWithDelay(message, delay, nullptr) : natsMsg_Nak(message, nullptr);
  // Flushed: the server has the nak before this returns, so the event is leasable again at once.
  if (s == NATS_OK) s = natsConnection_FlushTimeout(state_->connection, kApiWaitMs);
  natsMsg_Destroy(message);
  {
    std::lock_guard lock(state_->mu);
    state_->errors[key] = error;
    state_->delayed[key] = available_at_ms;
  }
  if (s != NATS_OK) fail("giving back " + delivery.event.event_id, s);
}

ports::QueueCounts NatsEventQueue::counts(std::int64_t now_ms) {
  ports::QueueCounts counts;
  std::int64_t unacknowledged = 0;
  jsOptions o = state_->api_options();
  for (const auto& consumer : state_->consumers) {
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s =
        js_GetConsumerInfo(&info, state_->jetstream, state_->options.stream.c_str(), consumer.durable.c_str(), &o, &code);
    if (s != NATS_OK) fail("reading the consumer " + consumer.durable, s, code);
    counts.ready += static_cast<std::int64_t>(info->NumPending);
    unacknowledged += info->NumAckPending;
    jsConsumerInfo_Destroy(info);
  }
  std::int64_t delayed_here = 0;
  {
    std::lock_guard lock(state_->mu);
    for (auto it = state_->delayed.begin(); it != state_->delayed.end();) {
      if (it->second > now_ms) {
        ++delayed_here;
        ++it;
      } else {
        it = state_->delayed.erase(it);
      }
    }
  }
  counts.delayed = std::min(delayed_here, unacknowledged);
  counts.leased = unacknowledged - counts.delayed;
  return counts;
}

void NatsEventQueue::on_work(std::function<void()> listener) {
  {
    std::lock_guard lock(state_->listener_mu);
    state_->listener = std::move(listener);
  }
  std::lock_guard lock(state_->mu);
  if (state_->work_subscription != nullptr || !state_->listener) return;
  // One core subscription seeing every publish of the consumed types' subjects (a copy of the
  // JetStream message, which stays in the stream for exactly one consumer to deliver); with several
  // types, the stream's whole subject space (the events of both kinds of run).
  const std::string subject =
      state_->consumers.size() == 1 ? state_->consumers.front().subject : state_->options.subject_prefix + ".>";
  natsMsgHandler on_published = [](natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
    auto* state = static_cast<State*>(closure);
    const std::string_view published_to = natsMsg_GetSubject(message);
    for (auto& consumer : state->consumers) {
      if (consumer.subject == published_to) consumer.announced->fetch_add(1);
    }
    natsMsg_Destroy(message);
    std::lock_guard hold(state->listener_mu);
    if (state->listener) state->listener();
  };
  natsSubscription* subscription = nullptr;
  const natsStatus s =
      natsConnection_Subscribe(&subscription, state_->connection, subject.c_str(), on_published, state_.get());
  if (s != NATS_OK) fail("subscribing to " + subject, s);
  state_->work_subscription = subscription;
  state_->announcing.store(true);
}

}  // namespace docprof::adapters::nats
