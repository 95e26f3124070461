// PullFetcher against a real nats-server -js: several consumers asked in one fetch, never more
// than asked for, answers that come after a fetch stopped waiting handed out by the next one, and
// replies (ack, nak) that the broker acts on.
#include "adapters/nats/pull_fetcher.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/nats_server.h"

namespace {

using docprof::adapters::nats::PullFetcher;
using docprof::test_support::NatsServer;

// A connection, a WorkQueue stream with subjects <prefix>.a and <prefix>.b and one consumer each.
class PullFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto names = NatsServer::fresh_names();
    stream_ = names.stream;
    prefix_ = names.subject_prefix;
    ASSERT_EQ(natsConnection_ConnectTo(&connection_, NatsServer::shared().url().c_str()), NATS_OK);
    ASSERT_EQ(natsConnection_JetStream(&js_, connection_, nullptr), NATS_OK);
    const std::string subjects = prefix_ + ".>";
    const char* list[] = {subjects.c_str()};
    jsStreamConfig stream;
    jsStreamConfig_Init(&stream);
    stream.Name = stream_.c_str();
    stream.Subjects = list;
    stream.SubjectsLen = 1;
    stream.Retention = js_WorkQueuePolicy;
    ASSERT_EQ(js_AddStream(nullptr, js_, &stream, nullptr, nullptr), NATS_OK);
    for (const std::string name : {"a", "b"}) {
      const std::string subject = prefix_ + "." + name;
      jsConsumerConfig consumer;
      jsConsumerConfig_Init(&consumer);
      consumer.Durable = name.c_str();
      consumer.FilterSubject = subject.c_str();
      consumer.AckPolicy = js_AckExplicit;
      consumer.AckWait = 30'000'000'000;  // 30 s: nothing comes back by itself during a test
      ASSERT_EQ(js_AddConsumer(nullptr, js_, stream_.c_str(), &consumer, nullptr, nullptr), NATS_OK);
    }
    fetcher_ = std::make_unique<PullFetcher>(connection_, stream_);
  }

  void TearDown() override {
    fetcher_.reset();
    if (js_ != nullptr) jsCtx_Destroy(js_);
    if (connection_ != nullptr) natsConnection_Destroy(connection_);
  }

  void publish(const std::string& consumer, int count) {
    const std::string subject = prefix_ + "." + consumer;
    for (int i = 0; i < count; ++i) {
      const std::string body = consumer + std::to_string(i);
      ASSERT_EQ(js_Publish(nullptr, js_, subject.c_str(), body.data(), static_cast<int>(body.size()), nullptr, nullptr),
                NATS_OK);
    }
  }

  // Pending (not yet delivered) messages of a consumer, as the broker counts them.
  std::uint64_t pending(const std::string& consumer) {
    jsConsumerInfo* info = nullptr;
    EXPECT_EQ(js_GetConsumerInfo(&info, js_, stream_.c_str(), consumer.c_str(), nullptr, nullptr), NATS_OK);
    const std::uint64_t n = info != nullptr ? info->NumPending : 0;
    if (info != nullptr) jsConsumerInfo_Destroy(info);
    return n;
  }

  static std::map<std::string, int> by_consumer(const PullFetcher::Fetched& fetched) {
    std::map<std::string, int> counts;
    for (natsMsg* message : fetched.messages) ++counts[PullFetcher::consumer_of(message)];
    return counts;
  }

  void ack_all(PullFetcher::Fetched& fetched) {
    for (natsMsg* message : fetched.messages) {
      EXPECT_EQ(PullFetcher::reply(connection_, message, "+ACK"), NATS_OK);
      natsMsg_Destroy(message);
    }
    fetched.messages.clear();
    ASSERT_EQ(natsConnection_Flush(connection_), NATS_OK);
  }

  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  std::string stream_;
  std::string prefix_;
  std::unique_ptr<PullFetcher> fetcher_;
};

TEST_F(PullFetcherTest, AsksSeveralConsumersInOneFetchAndTellsHowEachAnswered) {
  publish("a", 3);
  publish("b", 1);
  auto fetched = fetcher_->fetch({{"a", 2, 0}, {"b", 5, 0}}, 10, 1'000);
  EXPECT_EQ(by_consumer(fetched), (std::map<std::string, int>{{"a", 2}, {"b", 1}}));
  ASSERT_EQ(fetched.got.size(), 2u);
  EXPECT_EQ(fetched.got[0], 2) << "a filled its batch: it may have more";
  EXPECT_EQ(fetched.got[1], 1);
  EXPECT_TRUE(fetched.answered[0]);
  EXPECT_TRUE(fetched.answered[1]) << "b's partly filled request was closed by the broker";
  ack_all(fetched);
  EXPECT_EQ(pending("a"), 1u);

  auto rest = fetcher_->fetch({{"a", 5, 0}, {"b", 5, 0}}, 10, 1'000);
  EXPECT_EQ(by_consumer(rest), (std::map<std::string, int>{{"a", 1}}));
  EXPECT_TRUE(rest.answered[1]);
  EXPECT_EQ(rest.got[1], 0) << "b came back empty";
  ack_all(rest);
}

TEST_F(PullFetcherTest, NeverHandsOutMoreThanTheLimitAndKeepsTheRestForTheNextFetch) {
  publish("a", 4);
  // Asks beyond the limit are cut to it: nothing is taken from the broker that cannot be handed out.
  auto fetched = fetcher_->fetch({{"a", 3, 0}, {"b", 3, 0}}, 2, 1'000);
  EXPECT_EQ(fetched.messages.size(), 2u);
  EXPECT_EQ(pending("a"), 2u);
  ack_all(fetched);
  auto none = fetcher_->fetch({}, 5, 1'000);
  EXPECT_TRUE(none.messages.empty());
}

TEST_F(PullFetcherTest, AnAnswerThatComesAfterTheFetchStoppedWaitingIsHandedOutByTheNextFetch) {
  // The broker holds the request up to 1 s for a first message; the fetch stops waiting long
  // before, and the message published meanwhile reaches this process after it returned.
  auto first = fetcher_->fetch({{"a", 1, 1'000}}, 1, 5);
  EXPECT_TRUE(first.messages.empty());
  publish("a", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(pending("a"), 0u) << "delivered to the abandoned request";
  auto next = fetcher_->fetch({}, 5, 0);
  ASSERT_EQ(next.messages.size(), 1u) << "not lost: the next fetch hands it out";
  EXPECT_EQ(PullFetcher::consumer_of(next.messages[0]), "a");
  ack_all(next);
}

TEST_F(PullFetcherTest, ANegativeAcknowledgementMakesTheMessageDeliverableAgain) {
  publish("b", 1);
  auto fetched = fetcher_->fetch({{"b", 1, 0}}, 1, 1'000);
  ASSERT_EQ(fetched.messages.size(), 1u);
  ASSERT_EQ(PullFetcher::reply(connection_, fetched.messages[0], "-NAK"), NATS_OK);
  natsMsg_Destroy(fetched.messages[0]);
  auto again = fetcher_->fetch({{"b", 1, 500}}, 1, 1'000);
  ASSERT_EQ(again.messages.size(), 1u);
  jsMsgMetaData* meta = nullptr;
  ASSERT_EQ(natsMsg_GetMetaData(&meta, again.messages[0]), NATS_OK);
  EXPECT_EQ(meta->NumDelivered, 2u);
  jsMsgMetaData_Destroy(meta);
  ack_all(again);
  EXPECT_EQ(pending("b"), 0u);
}

TEST_F(PullFetcherTest, AMessageWithoutAnAcknowledgementSubjectCannotBeAnswered) {
  natsMsg* message = nullptr;
  ASSERT_EQ(natsMsg_Create(&message, "x", nullptr, "body", 4), NATS_OK);
  EXPECT_NE(PullFetcher::reply(connection_, message, "+ACK"), NATS_OK);
  EXPECT_EQ(PullFetcher::consumer_of(message), "");
  natsMsg_Destroy(message);
}

}  // namespace
