#include "model/value.hpp"

#include <charconv>
#include <cstdio>

namespace dossier {

Value::Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;

namespace {
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}
}  // namespace

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> Date::parse(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len, int& out) {
        for (std::size_t i = pos; i < pos + len; ++i)
            if (t[i] < '0' || t[i] > '9') return false;
        std::from_chars(t.data() + pos, t.data() + pos + len, out);
        return true;
    };
    Date d;
    if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day)) return std::nullopt;
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
    if (d.day > days_in_month(d.year, d.month)) return std::nullopt;
    return d;
}

// Howard Hinnant's days_from_civil.
long long Date::days_since_epoch() const {
    long long y = year - (month <= 2);
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long mp = (month + 9) % 12;
    long long doy = (153 * mp + 2) / 5 + day - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::from_days_since_epoch(long long z) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return Date{static_cast<int>(y + (m <= 2)), m, d};
}

const Value* Value::find(std::string_view key) const {
    if (kind != Kind::map) return nullptr;
    for (const auto& [k, v] : fields)
        if (k == key) return &v;
    return nullptr;
}

Value* Value::find(std::string_view key) {
    return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

const Value* Value::at_path(std::string_view dotted) const {
    const Value* v = this;
    while (v) {
        auto dot = dotted.find('.');
        v = v->find(dotted.substr(0, dot));
        if (dot == std::string_view::npos) return v;
        dotted.remove_prefix(dot + 1);
    }
    return nullptr;
}

void Value::set(std::string key, Value v) {
    kind = Kind::map;
    if (Value* existing = find(key)) {
        // A value made in code has no position: keep the one written in the file, so that
        // messages about a normalised field still point at it.
        if (v.span.line == 0) v.span = existing->span;
        v.key_span = existing->key_span;
        *existing = std::move(v);
        return;
    }
    fields.emplace_back(std::move(key), std::move(v));
}

const char* kind_name(Value::Kind kind) {
    switch (kind) {
        case Value::Kind::null:
            return "null";
        case Value::Kind::boolean:
            return "boolean";
        case Value::Kind::number:
            return "number";
        case Value::Kind::string:
            return "string";
        case Value::Kind::date:
            return "date";
        case Value::Kind::list:
            return "list";
        case Value::Kind::map:
            return "map";
    }
    return "value";
}

}  // namespace dossier
