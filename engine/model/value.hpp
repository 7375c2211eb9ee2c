// Dates and generic YAML-shaped values (scalars, lists, maps), each with its source span.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"

namespace dossier {

// A proleptic Gregorian calendar date. Always valid when produced by `Date::parse`.
struct Date {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31
    auto operator<=>(const Date&) const = default;
    // "YYYY-MM-DD"
    std::string iso() const;
    // Parses exactly "YYYY-MM-DD" and checks that the day exists (2026-02-30 is rejected).
    static std::optional<Date> parse(std::string_view text);
    // Days since 1970-01-01 (negative before). Used for SOURCE_DATE_EPOCH and ages.
    long long days_since_epoch() const;
    static Date from_days_since_epoch(long long days);
};

// A value read from a case or expert file. Maps keep file order. A plain scalar that reads as
// a boolean, a number or a YYYY-MM-DD date gets that kind; `text` always keeps the scalar as
// written (so a reference like "0012" is not lost).
struct Value {
    enum class Kind { null, boolean, number, string, date, list, map };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0;
    std::string text;
    Date date;
    std::vector<Value> items;                           // list
    std::vector<std::pair<std::string, Value>> fields;  // map, file order
    Span span;                                          // where the value starts
    Span key_span;                                      // for a map member: where its key starts

    // Defined out of line (value.cpp), all of them defaulted: clang 14 with libstdc++ 12 in
    // C++20 cannot instantiate the implicit ones, as `fields` holds pairs of this very type.
    Value();
    Value(const Value&);
    Value(Value&&) noexcept;
    Value& operator=(const Value&);
    Value& operator=(Value&&) noexcept;
    ~Value();

    bool is_null() const { return kind == Kind::null; }
    // Member of a map, or nullptr when absent or when this is not a map.
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    // Dotted path ("applicant.gender", "facts.detained"); nullptr when any step is absent.
    const Value* at_path(std::string_view dotted) const;
    // Sets (or replaces) a map member; this must be a map. A replacement without a position
    // (span.line == 0) keeps the position of the value it replaces.
    void set(std::string key, Value v);
};

const char* kind_name(Value::Kind kind);

}  // namespace dossier
