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

#include "adapters/nats/pull_fetcher.h"
#include "domain/events_json.h"

namespace docprof::adapters::nats {
namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kApiWaitMs = 5'000;  // a JetStream API call or a publish's ack
// How long a lease waits for the broker's answers to its pull requests beyond their wait at the
// broker (PullFetcher): a loaded broker answers later, and answers that come later are not lost
// (the next lease hands them out), so a lease does not wait long for them.
constexpr std::int64_t kReplyWaitMs = 3;
// JetStream acknowledges a publish once the stream has stored the message; its consumer learns of
// it a moment later. A lease that finds a consumer empty within kRecentPublishMs of this process
// publishing to it, and leases nothing else, waits up to kSettleWaitMs for the message rather than
// missing it.
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

// One consumer: its event type, durable name and subject, and what this process knows of its work.
struct Consumer {
  domain::EventType type = domain::EventType::CourseRequested;
  std::string durable;
  std::string subject;
  // steady_ms() of this process's last publish to the subject; 0 once a lease has waited for it.
  std::unique_ptr<std::atomic<std::int64_t>> published_at = std::make_unique<std::atomic<std::int64_t>>(0);
  // Publishes to the subject seen (by the work subscription, or made by this process) and not yet
  // taken: an estimate, as other processes take them too; a fetch that finds the consumer with no
  // more spends the announcements it was asked on.
  std::unique_ptr<std::atomic<int>> announced = std::make_unique<std::atomic<int>>(0);
  // How often a sweep fetches from it unannounced, and when one last did (steady_ms()).
  std::int64_t sweep_every_ms = kSweepMs;
  std::unique_ptr<std::atomic<std::int64_t>> swept_at = std::make_unique<std::atomic<std::int64_t>>(0);
};

// One round trip of a lease: the consumers asked, their asks, and the announcements each was
// asked on.
struct Round {
  std::vector<Consumer*> asked;
  std::vector<PullFetcher::Ask> asks;
  std::vector<int> seen;
  void add(Consumer& consumer, int batch, std::int64_t wait_ms) {
    asked.push_back(&consumer);
    asks.push_back({consumer.durable, batch, wait_ms});
    seen.push_back(consumer.announced->load());
  }
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
  std::unique_ptr<PullFetcher> fetcher;  // every lease's pull requests
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
    fetcher.reset();
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
  }

  // Runs a round (PullFetcher), adding what comes to `out` as deliveries, `out` up to `max`. Each
  // ask's consumer learns what its answer says of its work: one that came back empty or partly
  // filled had no more, so the announcements it was asked on are spent (those that came meanwhile
  // stay); one that filled its batch may have more: it stays announced, so the next lease (at
  // once) asks it again. Returns the consumers that came back empty, and those that filled
  // their batch.
  std::pair<std::vector<Consumer*>, std::vector<Consumer*>> fetch_into(std::vector<ports::Delivery>& out, int max,
                                                                       const Round& round, const std::string& worker_id,
                                                                       std::int64_t now_ms) {
    const auto& asked = round.asked;
    const auto& asks = round.asks;
    std::int64_t longest = PullFetcher::kLeastWaitMs;
    for (const auto& ask : asks) longest = std::max(longest, ask.wait_ms);
    PullFetcher::Fetched fetched = fetcher->fetch(asks, max - static_cast<int>(out.size()), longest + kReplyWaitMs);
    for (natsMsg* message : fetched.messages) {
      if (auto delivery = hold(message, worker_id, now_ms)) out.push_back(std::move(*delivery));
    }
    std::vector<Consumer*> empty;
    std::vector<Consumer*> filled;
    for (std::size_t i = 0; i < asks.size(); ++i) {
      std::atomic<int>& announced = *asked[i]->announced;
      const int got = fetched.got[i];
      const bool full = got >= asks[i].batch;
      const bool spent = fetched.answered[i] && !full;
      int value = announced.load();
      while (!announced.compare_exchange_weak(value, std::max(full ? 1 : 0, value - (spent ? round.seen[i] : got)))) {
      }
      if (fetched.answered[i] && got == 0) empty.push_back(asked[i]);
      if (full) filled.push_back(asked[i]);
    }
    return {std::move(empty), std::move(filled)};
  }

  // Turns a fetched message into a delivery and holds it. Unreadable messages are acknowledged
  // and skipped (nullopt): nothing could ever run them.
  std::optional<ports::Delivery> hold(natsMsg* message, const std::string& worker_id, std::int64_t now_ms) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, message) != NATS_OK) {
      natsMsg_Destroy(message);
      return std::nullopt;
    }
    const std::uint64_t stream_seq = meta->Sequence.Stream;
    const auto delivered = static_cast<std::int64_t>(meta->NumDelivered);
    const std::string durable = meta->Consumer != nullptr ? meta->Consumer : "";
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
      PullFetcher::reply(connection, message, "+TERM");
      natsMsg_Destroy(message);
      return std::nullopt;
    }
    ports::Delivery delivery;
    delivery.delivery_id = message_key(durable, stream_seq) + "#" + std::to_string(delivered);
    delivery.event = std::move(envelope).value();
    delivery.event.attempt = static_cast<int>(std::min<std::int64_t>(delivered, 1'000'000));
    delivery.worker_id = worker_id;
    delivery.leased_until_ms = now_ms + options.ack_wait_ms;
    const std::string key = message_key(durable, stream_seq);
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
  state_->fetcher = std::make_unique<PullFetcher>(state_->connection, state_->options.stream);
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
  // An event this process may lease itself is announced here at once, not only when the work
  // subscription's copy comes back from the broker: this process's lease usually asks for it
  // before another's does, so a run's steps tend to stay with the worker that holds the run's
  // record from its last commit (engine/recent_runs.h), which then need not read it again.
  bool ours = false;
  for (auto& consumer : state_->consumers) {
    if (consumer.type != type) continue;
    consumer.published_at->store(steady_ms());
    if (state_->announcing.load()) {
      consumer.announced->fetch_add(1);
      ours = true;
    }
  }
  if (ours) {
    std::lock_guard hold(state_->listener_mu);
    if (state_->listener) state_->listener();
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
  const std::int64_t started = steady_ms();
  const bool announcing = state_->announcing.load();
  const auto left = [&] { return max - static_cast<int>(out.size()); };
  std::vector<Consumer*> empty;  // consumers asked that came back empty
  std::vector<bool> asked_already(n, false);
  // Runs a round; returns the consumers that filled their batch (they may have more).
  const auto run = [&](const Round& round) -> std::vector<Consumer*> {
    if (round.asks.empty()) return {};
    auto [none, filled] = state_->fetch_into(out, max, round, worker_id, now_ms);
    empty.insert(empty.end(), none.begin(), none.end());
    return filled;
  };
  // Asks `consumers`, each round as many as the lease has places left, sharing the places out
  // (with fewer places than consumers, the rest wait for a later round while places remain);
  // then, while places remain, again those that filled their share.
  const auto ask_in_rounds = [&](std::vector<Consumer*> consumers) {
    while (left() > 0 && !consumers.empty()) {
      std::vector<Consumer*> filled;
      for (std::size_t next = 0; left() > 0 && next < consumers.size();) {
        const int room = left();
        const auto chunk = std::min(consumers.size() - next, static_cast<std::size_t>(room));
        const int share = room / static_cast<int>(chunk);
        int extra = room % static_cast<int>(chunk);
        Round round;
        for (std::size_t i = 0; i < chunk; ++i) round.add(*consumers[next++], share + (extra-- > 0 ? 1 : 0), 0);
        auto more = run(round);
        filled.insert(filled.end(), more.begin(), more.end());
      }
      consumers = std::move(filled);
    }
  };

  // The consumers a publish was announced for first, each for as many events as were announced
  // (asking the others would be wasted work for the broker), in one round trip.
  bool sweep = !announcing || started - state_->last_sweep_ms.load() >= kSweepMs;
  if (!sweep) {
    Round round;
    int budget = max;
    for (std::size_t i = 0; i < n && budget > 0; ++i) {
      Consumer& consumer = state_->consumers[(start + i) % n];
      const int announced = consumer.announced->load();
      if (announced <= 0) continue;
      const int batch = std::min(announced, budget);
      budget -= batch;
      round.add(consumer, batch, 0);
      asked_already[(start + i) % n] = true;
    }
    ask_in_rounds(run(round));
    sweep = out.empty();
  }
  // Every consumer due: all of them without a work subscription, when it is time for a sweep, or
  // when the announced ones had nothing.
  if (sweep && left() > 0) {
    state_->last_sweep_ms.store(started);
    std::vector<Consumer*> due;
    for (std::size_t i = 0; i < n; ++i) {
      Consumer& consumer = state_->consumers[(start + i) % n];
      if (asked_already[(start + i) % n]) continue;
      if (!announcing || consumer.announced->load() > 0 ||
          started - consumer.swept_at->load() >= consumer.sweep_every_ms) {
        consumer.swept_at->store(started);
        due.push_back(&consumer);
      }
    }
    ask_in_rounds(std::move(due));
  }
  // Nothing leased, and a consumer this process published to a moment ago came back empty: the
  // event is on its way (stored, not yet at the consumer); wait a little for it.
  if (out.empty()) {
    Round round;
    int budget = max;
    for (Consumer* consumer : empty) {
      std::int64_t published = consumer->published_at->load();
      if (budget > 0 && published != 0 && steady_ms() - published <= kRecentPublishMs &&
          consumer->published_at->compare_exchange_strong(published, 0)) {
        round.add(*consumer, 1, kSettleWaitMs);
        --budget;
      }
    }
    run(round);
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
  natsStatus s = PullFetcher::reply(state_->connection, entry->second.message, "+WPI");
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
  const natsStatus s = PullFetcher::reply(state_->connection, message, "+ACK");
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
  // The delay in nanoseconds, as JetStream's negative acknowledgement takes it.
  const std::string nak = delay > 0 ? "-NAK {\"delay\":" + std::to_string(delay * kNanosPerMilli) + "}" : "-NAK";
  natsStatus s = PullFetcher::reply(state_->connection, message, nak);
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
