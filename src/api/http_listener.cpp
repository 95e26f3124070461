// The Beast/Asio side of the HTTP API (http_listener.h): the accept loop, connection admission and
// one Connection per socket — a state machine on the socket's strand: read the head (with its
// deadline and limits), ask where its body goes (Hooks::plan_body), read the body (into memory, or
// into a spool file, with its own deadline and cap), hand the request over, write the answer, then
// either read the next request (keep-alive) or close. A streamed answer is pumped by a timer.
// The head is read by a parser without a body; the body's parser is made from it once the plan is
// known (Beast moves a parsed head between parsers of different body types).
#include "api/http_listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/optional.hpp>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/spool_file.h"

namespace docprof::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

std::string text(beast::string_view s) { return std::string(s.data(), s.size()); }

bool is_loopback(const net::ip::address& address) {
  if (address.is_loopback()) return true;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return false;
}

bool is_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

std::string seconds_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

constexpr std::size_t kLingerBytes = 1024 * 1024;  // read and dropped after a refusal, at most
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr auto kGraceAfterStop = std::chrono::seconds(3);

}  // namespace

class Connection;

struct HttpListener::Impl {
  Impl(HttpLimits l, int t, Hooks h) : limits(l), threads(std::max(1, t)), hooks(std::move(h)) {}

  HttpLimits limits;
  int threads;
  Hooks hooks;
  std::atomic<bool> stopping{false};
  std::atomic<bool> loopback{false};
  std::string address;

  mutable std::mutex mu;  // guards what follows
  std::size_t open = 0;
  std::unordered_map<std::string, std::size_t> per_client;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> live;

  // Declared after what its handlers' connections use: destroyed (with them) first.
  net::io_context ioc;
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer accept_pause{acceptor.get_executor()};

  void accept();
  void on_accept(tcp::socket socket);
  void release(Connection* c, const std::string& client, bool counted) {
    std::lock_guard lock(mu);
    live.erase(c);
    if (!counted) return;
    --open;
    if (auto it = per_client.find(client); it != per_client.end() && --it->second == 0) per_client.erase(it);
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class Refusal { none, server_full, client_full };

  Connection(tcp::socket socket, HttpListener::Impl& owner, std::string client, bool counted)
      : socket_(std::move(socket)),
        deadline_(socket_.get_executor()),
        tick_(socket_.get_executor()),
        owner_(owner),
        client_(std::move(client)),
        counted_(counted) {}

  ~Connection() { owner_.release(this, client_, counted_); }

  void start(Refusal refusal) {
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    if (refusal == Refusal::server_full) {
      return refuse(503, "too_many_connections", "the server has too many open connections; retry later");
    }
    if (refusal == Refusal::client_full) {
      return refuse(429, "too_many_connections",
                    "too many open connections from " + client_ + " (at most " +
                        std::to_string(owner_.limits.max_connections_per_client) + ")");
    }
    read_head();
  }

  net::any_io_executor executor() { return socket_.get_executor(); }
  void post_shutdown() {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->shutdown(); });
  }

  // Asked by stop() (on the strand): finish what is being answered, then close.
  void shutdown() {
    closing_ = true;
    error_code ignored;
    switch (phase_) {
      case Phase::head:
      case Phase::body:
      case Phase::linger:
        socket_.cancel(ignored);
        break;
      case Phase::streaming:
        tick_.cancel();
        break;
      default:
        break;
    }
  }

 private:
  enum class Phase { head, body, handling, writing, streaming, linger, closed };

  // --- deadlines: one timer; a read or write still pending when it fires is cancelled.
  void arm(std::chrono::milliseconds d) {
    timed_out_ = false;
    const auto generation = ++deadline_generation_;
    deadline_.expires_after(d);
    deadline_.async_wait([self = shared_from_this(), generation](error_code ec) {
      if (ec || generation != self->deadline_generation_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);
    });
  }
  void disarm() {
    ++deadline_generation_;
    deadline_.cancel();
  }

  // --- reading a request
  void read_head() {
    phase_ = Phase::head;
    if (closing_ || owner_.stopping.load()) return close();
    req_ = Request{};  // the last request's body is not kept while the connection idles
    drop_body();
    version_ = 11;
    head_.emplace();
    if (buffer_.size() == 0) buffer_.shrink_to_fit();
    head_->header_limit(static_cast<std::uint32_t>(owner_.limits.max_header_bytes));
    // The body's cap depends on where it goes (plan_body): checked once the head is known.
    head_->body_limit(boost::none);
    arm(owner_.limits.header_timeout);
    http::async_read_header(socket_, buffer_, *head_,
                            [self = shared_from_this()](error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(error_code ec) {
    disarm();
    if (ec) {
      if (timed_out_) {
        // An idle keep-alive connection just closes; a head that stalled half-way gets its 408.
        if (!head_->got_some() && buffer_.size() == 0) return close();
        return refuse(408, "request_timeout",
                      "the request head did not arrive within " + seconds_text(owner_.limits.header_timeout));
      }
      if (ec == http::error::header_limit) {
        // The parser takes the request line as soon as it is whole: no target yet means the line
        // itself is what passed the limit.
        const auto target = head_->get().target();
        if (target.empty() || target.size() > owner_.limits.max_uri_bytes) {
          return refuse(414, "uri_too_long",
                        "the request line is longer than " + std::to_string(owner_.limits.max_uri_bytes) + " bytes");
        }
        return refuse(431, "headers_too_large",
                      "the request head is larger than " + std::to_string(owner_.limits.max_header_bytes) + " bytes");
      }
      if (is_parse_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return refuse(400, "invalid_request", "malformed HTTP request: " + ec.message());
      }
      return close();  // the client went away, or the server stops
    }
    const std::size_t fields = take_head();
    error_code ignored;
    const auto peer = socket_.remote_endpoint(ignored);
    req_.remote_address = ignored ? client_ : peer.address().to_string();

    if (req_.target.size() > owner_.limits.max_uri_bytes) {
      return refuse(414, "uri_too_long",
                    "the request target is longer than " + std::to_string(owner_.limits.max_uri_bytes) + " bytes");
    }
    if (fields > owner_.limits.max_headers) {
      return refuse(431, "headers_too_large",
                    "the request has more than " + std::to_string(owner_.limits.max_headers) + " header fields");
    }
    const std::string encoding = req_.get_header_value("Content-Encoding");
    if (req_.has_header("Content-Encoding") && !beast::iequals(encoding, "identity")) {
      return refuse(415, "unsupported_encoding",
                    "Content-Encoding '" + encoding.substr(0, 64) + "' is not accepted; send the body unencoded");
    }
    const bool wants_body = req_.method == "POST" || req_.method == "PUT" || req_.method == "PATCH";
    if (wants_body && !head_->content_length() && !head_->chunked()) {
      return refuse(411, "length_required",
                    req_.method + " needs a Content-Length or a chunked Transfer-Encoding");
    }
    keep_alive_ = head_->keep_alive();
    if (head_->is_done()) return dispatch();
    if (!plan_body()) return;
    if (beast::iequals(req_.get_header_value("Expect"), "100-continue")) {
      phase_ = Phase::writing;
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      arm(owner_.limits.body_timeout);
      return net::async_write(socket_, net::buffer(kContinue), [self = shared_from_this()](error_code e, std::size_t) {
        self->disarm();
        if (e) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  // Where the body goes: the hook's plan, its cap (a Content-Length over it: 413 before any byte of
  // the body is read), and the parser that reads it. False when the request was answered instead.
  bool plan_body() {
    BodyPlan plan;
    if (owner_.hooks.plan_body) {
      Response refusal;
      plan = owner_.hooks.plan_body(req_, refusal);
      if (plan.kind == BodyPlan::Kind::refuse) {
        write(refusal, false, true);
        return false;
      }
    }
    const bool to_file = plan.kind == BodyPlan::Kind::file;
    body_cap_ = to_file ? plan.max_bytes : static_cast<std::uint64_t>(owner_.limits.max_body_bytes);
    if (head_->content_length() && *head_->content_length() > body_cap_) {
      refuse_too_large();
      return false;
    }
    if (!to_file) {
      memory_.emplace(std::move(*head_));
      memory_->body_limit(body_cap_);
      return true;
    }
    auto file = SpoolFile::create(plan.directory, "body-", ".part");
    error_code ec;
    if (file) {
      spool_file_ = std::move(file).value();
      spool_.emplace(std::move(*head_));
      spool_->body_limit(body_cap_);
      spool_->get().body().open(spool_file_.path().c_str(), beast::file_mode::write, ec);
    }
    if (!file || ec) {
      spdlog::error("api: cannot spool a request body under {}: {}", plan.directory,
                    file ? ec.message() : file.error().message);
      refuse(500, "upload_storage", "the server cannot store the upload now (see its log)");
      return false;
    }
    return true;
  }

  // The parsed head into req_ (method, target, path, query, fields); returns the number of fields.
  std::size_t take_head() {
    const auto& head = head_->get();
    version_ = head.version();
    req_.method = text(head.method_string());
    req_.target = text(head.target());
    const auto question = req_.target.find('?');
    req_.path = decode_url(std::string_view(req_.target).substr(0, question), false);
    if (question != std::string::npos) req_.params = parse_query(std::string_view(req_.target).substr(question + 1));
    req_.headers = HeaderFields{};
    std::size_t fields = 0;
    for (const auto& field : head) {
      req_.headers.add(text(field.name_string()), text(field.value()));
      ++fields;
    }
    return fields;
  }

  void read_body() {
    phase_ = Phase::body;
    if (closing_) return close();
    if (spool_) return read_spooled();
    arm(owner_.limits.body_timeout);
    http::async_read(socket_, buffer_, *memory_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->on_body(ec); });
  }

  // A spooled body is read piece by piece (each straight to its file), each read with its own
  // deadline: a large upload may take long, but not stall.
  void read_spooled() {
    arm(owner_.limits.body_timeout);
    http::async_read_some(socket_, buffer_, *spool_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->disarm();
      if (ec || self->spool_->is_done()) return self->on_body(ec);
      if (self->closing_) return self->close();
      self->read_spooled();
    });
  }

  void on_body(error_code ec) {
    disarm();
    if (ec) {
      if (timed_out_) {
        return refuse(408, "request_timeout",
                      "the request body did not arrive within " + seconds_text(owner_.limits.body_timeout));
      }
      if (ec == http::error::body_limit) return refuse_too_large();
      if (is_parse_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return refuse(400, "invalid_request", "malformed HTTP request body: " + ec.message());
      }
      if (spool_ && ec == boost::system::errc::no_space_on_device) {
        return refuse(507, "insufficient_storage", "the server has no room left for the upload");
      }
      return close();
    }
    dispatch();
  }

  void refuse_too_large() {
    refuse(413, "payload_too_large", "the request body is larger than the limit of " + std::to_string(body_cap_) + " bytes");
  }

  // The body being read (or read) and its spool file, if any: gone.
  void drop_body() {
    memory_.reset();
    spool_.reset();  // closes the file before it is removed
    spool_file_.remove();
  }

  // --- answering
  void dispatch() {
    phase_ = Phase::handling;
    if (memory_) req_.body = std::move(memory_->get().body());
    if (spool_) {
      spool_->get().body().close();
      req_.body_file = spool_file_.path();
    }
    Response res;
    owner_.hooks.handle(req_, res);
    drop_body();  // a handler keeps what it needs of a spooled body itself
    req_.body_file.clear();
    if (res.stream) return start_stream(res);
    write(res, keep_alive_ && !closing_ && !owner_.stopping.load());
  }

  // A refusal by the listener: the answer, then the connection closes (after reading and dropping
  // what the client still sends for a little while, so it reads the answer rather than a reset).
  void refuse(int status, const std::string& code, const std::string& message) {
    drop_body();  // a refused upload's spool file goes now, not when the connection closes
    Response res;
    owner_.hooks.reject(req_, res, status, code, message);
    write(res, false, true);
  }

  template <class Message>
  void copy_headers(const Response& res, Message& msg) {
    for (const auto& [name, value] : res.headers.all()) msg.insert(name, value);
  }

  void write(const Response& res, bool keep_alive, bool linger = false) {
    phase_ = Phase::writing;
    const auto status = static_cast<http::status>(res.status);
    const unsigned version = version_;
    auto done = [self = shared_from_this(), keep_alive, linger](error_code ec, std::size_t) {
      self->disarm();
      if (ec) return self->close();
      if (linger) return self->linger();
      if (!keep_alive || self->closing_ || self->owner_.stopping.load()) return self->close();
      self->read_head();
    };
    arm(owner_.limits.body_timeout);
    if (req_.method == "HEAD") {
      auto msg = std::make_shared<http::response<http::empty_body>>(status, version);
      copy_headers(res, *msg);
      msg->content_length(res.body.size());
      msg->keep_alive(keep_alive);
      return http::async_write(socket_, *msg, [msg, done](error_code ec, std::size_t n) { done(ec, n); });
    }
    auto msg = std::make_shared<http::response<http::string_body>>(status, version, res.body);
    copy_headers(res, *msg);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    http::async_write(socket_, *msg, [msg, done](error_code ec, std::size_t n) { done(ec, n); });
  }

  void linger() {
    phase_ = Phase::linger;
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm(std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
    drain();
  }
  void drain() {
    socket_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->closing_ || self->drained_ > kLingerBytes) return self->close();
      self->drain();
    });
  }

  // --- streamed answers: the head, then a chunk whenever the source has something, on a timer.
  void start_stream(const Response& res) {
    phase_ = Phase::streaming;
    stream_ = res.stream;
    auto head = std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(res.status), version_);
    copy_headers(res, *head);
    head->keep_alive(false);
    head->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*head);
    arm(owner_.limits.body_timeout);
    http::async_write_header(socket_, *serializer,
                             [self = shared_from_this(), head, serializer](error_code ec, std::size_t) {
                               self->disarm();
                               if (ec) return self->close();
                               self->watch_peer();
                               self->tick();
                             });
  }

  // A read kept pending while streaming: it completes when the client goes away.
  void watch_peer() {
    socket_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](error_code ec, std::size_t) {
      if (self->phase_ != Phase::streaming) return;
      if (ec) {
        self->peer_gone_ = true;
        self->tick_.cancel();
        return;
      }
      self->watch_peer();  // what a client sends during a stream is dropped
    });
  }

  void tick() {
    if (phase_ != Phase::streaming) return;
    if (peer_gone_) return close();
    std::string out;
    bool more = false;
    try {
      more = stream_->next(out, closing_ || owner_.stopping.load());
    } catch (const std::exception& e) {
      spdlog::error("api: event stream failed: {}", e.what());
      more = false;
    }
    if (out.empty()) return more ? schedule() : finish_stream();
    chunk_ = std::move(out);
    arm(owner_.limits.body_timeout);
    net::async_write(socket_, http::make_chunk(net::buffer(chunk_)),
                     [self = shared_from_this(), more](error_code ec, std::size_t) {
                       self->disarm();
                       if (ec) return self->close();
                       more ? self->schedule() : self->finish_stream();
                     });
  }

  void schedule() {
    tick_.expires_after(stream_->interval());
    tick_.async_wait([self = shared_from_this()](error_code) { self->tick(); });
  }

  void finish_stream() {
    arm(owner_.limits.body_timeout);
    net::async_write(socket_, http::make_chunk_last(), [self = shared_from_this()](error_code, std::size_t) {
      self->disarm();
      self->close();
    });
  }

  void close() {
    phase_ = Phase::closed;
    disarm();
    tick_.cancel();
    stream_.reset();
    drop_body();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer deadline_;
  net::steady_timer tick_;
  HttpListener::Impl& owner_;
  std::string client_;
  bool counted_;

  Phase phase_ = Phase::head;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> head_;     // reads a request's head
  std::optional<http::request_parser<http::string_body>> memory_;  // then its body into memory,
  std::optional<http::request_parser<http::file_body>> spool_;     // or into spool_file_
  SpoolFile spool_file_;
  std::uint64_t body_cap_ = 0;
  unsigned version_ = 11;  // the request's HTTP version, for the answer
  Request req_;
  bool keep_alive_ = false;
  bool closing_ = false;
  bool timed_out_ = false;
  std::uint64_t deadline_generation_ = 0;
  std::shared_ptr<EventSource> stream_;
  std::string chunk_;
  bool peer_gone_ = false;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
};

void HttpListener::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (stopping.load() || !acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors, typically: pause rather than spin, then accept again.
      spdlog::warn("api: accept failed: {}", ec.message());
      accept_pause.expires_after(std::chrono::milliseconds(50));
      accept_pause.async_wait([this](error_code) {
        if (!stopping.load()) accept();
      });
      return;
    }
    on_accept(std::move(socket));
    accept();
  });
}

void HttpListener::Impl::on_accept(tcp::socket socket) {
  error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  const std::string client = peer.address().to_string();
  auto refusal = Connection::Refusal::none;
  {
    std::lock_guard lock(mu);
    const auto it = per_client.find(client);
    const std::size_t from_client = it == per_client.end() ? 0 : it->second;
    if (open >= limits.max_connections) {
      refusal = Connection::Refusal::server_full;
    } else if (limits.max_connections_per_client > 0 && from_client >= limits.max_connections_per_client) {
      refusal = Connection::Refusal::client_full;
    } else {
      ++open;
      ++per_client[client];
    }
  }
  auto connection =
      std::make_shared<Connection>(std::move(socket), *this, client, refusal == Connection::Refusal::none);
  {
    std::lock_guard lock(mu);
    live.emplace(connection.get(), connection);
  }
  net::dispatch(connection->executor(), [connection, refusal] { connection->start(refusal); });
}

HttpListener::HttpListener(HttpLimits limits, int threads, Hooks hooks)
    : impl_(std::make_unique<Impl>(limits, threads, std::move(hooks))) {}

HttpListener::~HttpListener() {
  stop();
}

int HttpListener::bind(const std::string& host, int port) {
  tcp::resolver resolver(impl_->ioc);
  error_code ec;
  const auto found = resolver.resolve(host, std::to_string(port), net::ip::resolver_base::numeric_service, ec);
  if (ec || found.empty()) throw std::runtime_error("cannot resolve '" + host + "': " + ec.message());
  std::string last_error;
  for (const auto& entry : found) {
    const tcp::endpoint endpoint = entry.endpoint();
    auto& acceptor = impl_->acceptor;
    error_code e;
    acceptor.open(endpoint.protocol(), e);
    if (!e) acceptor.set_option(net::socket_base::reuse_address(true), e);
    if (!e) acceptor.bind(endpoint, e);
    if (!e) acceptor.listen(net::socket_base::max_listen_connections, e);
    if (e) {
      last_error = endpoint.address().to_string() + ": " + e.message();
      error_code ignored;
      acceptor.close(ignored);
      continue;
    }
    const auto bound = acceptor.local_endpoint();
    impl_->loopback.store(is_loopback(bound.address()));
    impl_->address = bound.address().to_string();
    impl_->accept();
    return bound.port();
  }
  throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + " (" + last_error + ")");
}

bool HttpListener::bound_to_loopback() const { return impl_->loopback.load(); }
std::string HttpListener::bound_address() const { return impl_->address; }

void HttpListener::run() {
  auto& ioc = impl_->ioc;
  auto work = [&ioc] {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {  // handlers catch their own; this is a last resort
        spdlog::error("api: io thread: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < impl_->threads; ++i) threads.emplace_back(work);
  // This thread watches the shutdown: connections get kGraceAfterStop to finish what they are
  // answering (a client that does not read would otherwise hold it for a whole write deadline).
  std::optional<std::chrono::steady_clock::time_point> stop_seen;
  while (!ioc.stopped()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!impl_->stopping.load()) continue;
    if (!stop_seen) stop_seen = std::chrono::steady_clock::now();
    if (std::chrono::steady_clock::now() - *stop_seen > kGraceAfterStop) ioc.stop();
  }
  for (auto& t : threads) t.join();
}

void HttpListener::stop() {
  if (impl_->stopping.exchange(true)) return;
  net::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_pause.cancel();
  });
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& [raw, weak] : impl_->live)
      if (auto c = weak.lock()) open.push_back(std::move(c));
  }
  for (auto& c : open) c->post_shutdown();
}

std::size_t HttpListener::open_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->open;
}

}  // namespace docprof::api
