#include "load/evidence.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "load/fields.hpp"

namespace fs = std::filesystem;

namespace dossier::load {

namespace {

// The maps of a list field, each with its position; anything else is skipped (the schema has
// reported it).
template <class F>
void each_map(const Value* list, F&& f) {
    if (!list || list->kind != Value::Kind::list) return;
    for (const Value& item : list->items)
        if (item.kind == Value::Kind::map) f(item);
}

// A list field that may be the word `none`.
template <class T, class F>
Listed<T> listed(const Value& root, std::string_view key, F&& read) {
    Listed<T> out;
    out.span = {root.span.file, 1, 1};
    const Value* v = root.find(key);
    if (!v) return out;
    out.span = v->span;
    if (v->kind == Value::Kind::string && v->text == "none") {
        out.given = out.none = true;
    } else if (v->kind == Value::Kind::list) {
        out.given = true;
        each_map(v, [&](const Value& m) { out.items.push_back(read(m)); });
    }
    return out;
}

int integer(const Value& map, std::string_view key) {
    const Value* v = map.find(key);
    if (!v || v->kind != Value::Kind::number || v->number < 0 || v->number > 1e6) return 0;
    return static_cast<int>(v->number);
}

}  // namespace

void read_evidence(const Value& root, Case& c, Diagnostics& diags) {
    if (const Value* a = root.find("appeal"); a && a->kind == Value::Kind::map) {
        c.appeal.number = text_at(*a, "number");
        c.appeal.a_number = text_at(*a, "a_number");
        c.appeal.span = a->span;
        if (const Value* p = a->find("permission_to_exceed"); p && p->kind == Value::Kind::map) {
            c.appeal.permission_granted = date_at(*p, "granted");
            c.appeal.permission_pages = integer(*p, "pages");
        }
    }
    if (const Value* in = root.find("instructions"); in && in->kind == Value::Kind::map) {
        c.instructions.given = true;
        c.instructions.span = in->span;
        each_map(in->find("items"), [&](const Value& m) {
            Case::Instruction i;
            i.date = date_at(m, "date").value_or(Date{});
            i.form = text_at(m, "form");
            i.summary = text_at(m, "summary");
            i.span = m.span;
            c.instructions.items.push_back(std::move(i));
        });
        if (const Value* qs = in->find("questions"); qs && qs->kind == Value::Kind::list) {
            for (const Value& q : qs->items) {
                Case::Question out;
                out.span = q.span;
                if (q.kind == Value::Kind::string) {
                    out.ask = q.text;
                } else if (q.kind == Value::Kind::map) {
                    out.ask = text_at(q, "ask");
                    out.answer = text_at(q, "answer");
                    if (const Value* ans = q.find("answer")) out.answer_span = ans->span;
                    out.see = scalars_at(q, "see");
                } else {
                    continue;
                }
                c.instructions.questions.push_back(std::move(out));
            }
        }
    }
    c.documents = listed<Case::DocumentRef>(root, "documents", [](const Value& m) {
        Case::DocumentRef d;
        d.id = text_at(m, "id");
        d.title = text_at(m, "title");
        d.date = date_at(m, "date");
        d.pages = integer(m, "pages");
        d.span = m.span;
        return d;
    });
    each_map(root.find("account"), [&](const Value& m) {
        Case::Event e;
        e.date = text_at(m, "date");
        e.event = text_at(m, "event");
        e.source = text_at(m, "source");
        e.span = m.span;
        c.account.push_back(std::move(e));
    });
    each_map(root.find("issues"), [&](const Value& m) {
        c.issues.push_back({text_at(m, "text"), text_at(m, "source"), m.span});
    });
    c.range_of_opinion = listed<Case::View>(root, "range_of_opinion", [](const Value& m) {
        Case::View v;
        v.view = text_at(m, "view");
        v.response = text_at(m, "response");
        v.cite = scalars_at(m, "cite");
        v.span = m.span;
        return v;
    });
    c.assistance = listed<Case::Assistant>(root, "assistance", [](const Value& m) {
        return Case::Assistant{text_at(m, "name"), text_at(m, "role"), m.span};
    });
    c.limitations = text_at(root, "limitations");
    if (const Value* l = root.find("limitations")) c.limitations_span = l->span;
    if (const Value* s = root.find("sources"); s && s->kind == Value::Kind::map)
        for (const auto& [key, record] : s->fields)
            if (record.kind == Value::Kind::map)
                if (auto d = date_at(record, "accessed"))
                    c.accessed.emplace_back(key, Case::Accessed{*d, record.find("accessed")->span});

    // Pinpoints must name a listed document, so a court can find the page.
    if (c.documents.none) {
        auto check = [&](const Value* list, const char* field) {
            each_map(list, [&](const Value& m) {
                if (const Value* src = m.find("source"); is_scalar(src))
                    error(diags, src->span, "case.unknown-document",
                          std::string(field) + ": cites \"" + src->text +
                              "\", but documents is `none`",
                          {"list the document under documents"});
            });
        };
        check(root.find("account"), "account");
        check(root.find("issues"), "issues");
    } else if (c.documents.given) {
        std::vector<std::string> ids;
        for (const auto& d : c.documents.items) ids.push_back(d.id);
        auto check = [&](const Value* list, const char* field) {
            each_map(list, [&](const Value& m) {
                const Value* src = m.find("source");
                if (!is_scalar(src)) return;
                std::string id = src->text.substr(0, src->text.find(' '));
                if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
                error(diags, src->span, "case.unknown-document",
                      std::string(field) + ": \"" + id +
                          "\" is not the id of a document listed under documents",
                      did_you_mean(id, ids));
            });
        };
        check(root.find("account"), "account");
        check(root.find("issues"), "issues");
    }
}

void read_expertise(const Value& root, Expert& e) {
    auto entries = [&](const char* key) {
        std::vector<Expert::Entry> out;
        const Value* list = root.find(key);
        if (!list || list->kind != Value::Kind::list) return out;
        for (const Value& item : list->items) {
            if (item.kind == Value::Kind::string)
                out.push_back({item.text, {}, {}, item.span});
            else if (item.kind == Value::Kind::map)
                out.push_back({text_at(item, "what"), text_at(item, "institution"),
                               text_at(item, "dates"), item.span});
        }
        return out;
    };
    e.qualifications = entries("qualifications");
    e.experience = entries("experience");
    if (std::string sig = text_at(root, "signature"); !sig.empty())
        e.signature = (fs::path(e.file).parent_path() / sig).lexically_normal().string();
    if (const Value* x = root.find("expertise"); x && x->kind == Value::Kind::map) {
        e.expertise_given = true;
        e.expertise_span = x->span;
        for (const Value& v : scalars_at(*x, "countries")) e.countries.push_back(v.text);
        for (const Value& v : scalars_at(*x, "themes")) e.themes.push_back(v.text);
    }
}

}  // namespace dossier::load
