// Result<T>: the value of an operation that can fail in an expected way, or the Error saying why.
//
// Expected failures (unparseable model output, an invalid request, a missing prompt variable) travel
// as values; exceptions are kept for programmer errors. An Error carries a stable machine-readable
// code (the error codes of domain.md §2 where one applies) and a message meant for people.
//
// Thread safety: plain values; safe to share once built, like any const object.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace docprof::domain {

struct Error {
  std::string code;
  std::string message;

  bool operator==(const Error&) const = default;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return checked(); }
  T& value() & { return const_cast<T&>(checked()); }
  T&& value() && { return std::move(const_cast<T&>(checked())); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    if (ok()) throw std::logic_error("Result::error() called on a success");
    return std::get<1>(v_);
  }

 private:
  const T& checked() const {
    if (!ok()) throw std::logic_error("Result::value() called on an error: " + std::get<1>(v_).message);
    return std::get<0>(v_);
  }

  std::variant<T, Error> v_;
};

}  // namespace docprof::domain
