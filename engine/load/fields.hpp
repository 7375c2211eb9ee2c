// Private: reading fields of a Value tree that the schema has already checked (or reported).
// A field of the wrong shape reads as absent, so that one mistake is reported once, by the
// schema.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/value.hpp"

namespace dossier::load {

inline bool is_scalar(const Value* v) {
    return v && v->kind != Value::Kind::null && v->kind != Value::Kind::list &&
           v->kind != Value::Kind::map;
}

inline std::string text_at(const Value& map, std::string_view key, std::string fallback = {}) {
    const Value* v = map.find(key);
    return is_scalar(v) ? v->text : fallback;
}

inline std::optional<Date> date_at(const Value& map, std::string_view key) {
    const Value* v = map.find(key);
    if (!v) return std::nullopt;
    if (v->kind == Value::Kind::date) return v->date;
    if (v->kind == Value::Kind::string) return Date::parse(v->text);
    return std::nullopt;
}

inline std::vector<Value> scalars_at(const Value& map, std::string_view key) {
    std::vector<Value> out;
    if (const Value* v = map.find(key); v && v->kind == Value::Kind::list)
        for (const Value& item : v->items)
            if (is_scalar(&item)) out.push_back(item);
    return out;
}

inline std::vector<std::string> texts_at(const Value& map, std::string_view key) {
    std::vector<std::string> out;
    for (const Value& v : scalars_at(map, key)) out.push_back(v.text);
    return out;
}

}  // namespace dossier::load
