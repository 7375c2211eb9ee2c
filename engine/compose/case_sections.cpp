// The parts of the report that come from the case file and the expert profile rather than
// from clause text: the cover, the instructions, the documents considered, the applicant's
// account and the issues, who assisted, the limitations, the range of opinion, the draft
// placeholders, the signature block and the CV. Everything typed in the case file is printed
// literally (never read as markup), and the framing sentences live in the clause library.
#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>

#include <algorithm>

#include "compose/composer.hpp"

namespace dossier::compose::detail {

namespace {

std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

const char* form_name(const std::string& form) {
    if (form == "call") return "telephone call";
    if (form == "email") return "email";
    if (form == "meeting") return "meeting";
    return "letter";
}

// The contact line without the affiliation it repeats ("Halbrook Institute, 14 Example Row;
// r.e@example.org" after the line "Halbrook Institute"), so the CV says it once.
std::string contact_after(const std::string& contact, const std::string& affiliation) {
    if (affiliation.empty() || contact.rfind(affiliation, 0) != 0) return contact;
    std::size_t i = affiliation.size();
    if (i < contact.size() && contact[i] != ',' && contact[i] != ';') return contact;
    while (i < contact.size() && (contact[i] == ',' || contact[i] == ';' || is_space(contact[i])))
        ++i;
    return contact.substr(i);
}

// Where a publication is written "Title (details)", the length of its title; 0 when the entry
// gives none that can be told apart (no closing parenthetical, or a title in quotation marks,
// which marks an article's title and stays roman as OSCOLA has it).
std::size_t title_length(const std::string& item) {
    if (item.empty() || item.back() != ')') return 0;
    if (item.find('"') != std::string::npos ||
        item.find("\xE2\x80\x9C") != std::string::npos ||  // “
        item.find("\xE2\x80\x98") != std::string::npos)    // ‘
        return 0;
    int depth = 0;
    for (std::size_t i = item.size(); i-- > 0;) {
        if (item[i] == ')') ++depth;
        if (item[i] == '(' && --depth == 0) {
            std::size_t end = i;
            while (end > 0 && is_space(item[end - 1])) --end;
            return end == i ? 0 : end;  // "Title(…)" is not a title and its details
        }
    }
    return 0;
}

}  // namespace

Block Composer::numbered_block(std::vector<Inline> content) {
    Block b;
    b.kind = Block::Kind::paragraph;
    b.number = ++paragraph_number_;
    b.content = std::move(content);
    return b;
}

Block Composer::item_block(std::vector<Inline> content) {
    Block b;
    b.kind = Block::Kind::list_item;
    b.content = std::move(content);
    return b;
}

// "2021" as typed, "2021-05" as "May 2021", a whole date in the report's long form.
std::string Composer::partial_date(const std::string& ymd) const {
    if (auto d = Date::parse(ymd)) return long_date(*d);
    auto month = Date::parse(ymd + "-01");
    if (!month) return ymd;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::DateTimePatternGenerator> gen(
        icu::DateTimePatternGenerator::createInstance(locale_, status));
    if (U_FAILURE(status) || !gen) return ymd;
    icu::UnicodeString pattern = gen->getBestPattern(u"yMMMM", status);
    icu::SimpleDateFormat fmt(pattern, locale_, status);
    if (U_FAILURE(status)) return ymd;
    fmt.setTimeZone(*icu::TimeZone::getGMT());
    icu::UnicodeString out;
    fmt.format(to_udate(*month), out);
    return to_utf8(out);
}

void Composer::cover() {
    const std::string country = country_name(case_.country);
    const std::string grounds = env_.find("grounds_text")->text;
    const std::string& j = case_.jurisdiction;
    const bool us = j == "us-eoir";
    doc_.paper = us ? Document::Paper::us_letter : Document::Paper::a4;
    doc_.language = case_.language;
    if (j == "uk-ftt-iac") {
        // Practice Direction (FtT IAC, 2024) 7.7 states page limits at 12 point and 1.5 line
        // spacing; a report held to its 20-page limit (9.2) is set the same way.
        doc_.body_size = 12;
        doc_.body_leading = 18;
    }
    doc_.info.title = "Expert report on " + country + " (" + case_.reference + ")";
    doc_.info.author = case_.expert.name;
    // Document systems index the subject and keywords: no grounds, no facts (special-category
    // data under data-protection law).
    doc_.info.subject = "Expert report on country conditions in " + country;
    doc_.info.keywords = "expert report, country evidence, " + country;
    doc_.info.creator = options_.creator;
    doc_.info.date = case_.date;
    const bool show_numbers = !options_.sample;
    std::string number = show_numbers ? case_.appeal.number : std::string();
    doc_.header =
        "Expert report on " + country + " \xC2\xB7 " + (number.empty() ? case_.reference : number);

    Cover& cover = doc_.cover;
    // A US filing is a declaration in removal proceedings, captioned with the respondent.
    cover.title = us ? "Expert declaration" : "Expert report";
    cover.subtitle = "Country conditions in " + country;
    cover.rows = {};
    if (us)
        cover.rows.emplace_back("In the matter of",
                                case_.applicant.pseudonym + ", respondent, in removal proceedings");
    cover.rows.emplace_back("Country", country);
    if (us)
        cover.rows.emplace_back("Relief sought",
                                "Asylum, withholding of removal and protection under the "
                                "Convention against Torture");
    cover.rows.emplace_back("Grounds", capitalised(grounds));
    if (!number.empty())
        cover.rows.emplace_back(us                ? "Case number"
                                : j == "uk-cpr35" ? "Claim number"
                                                  : "Appeal number",
                                number);
    if (us && show_numbers) {
        std::string a = case_.appeal.a_number;
        if (!a.empty() && a[0] != 'A') a = "A" + a;
        if (a.empty() && options_.draft) a = "[DRAFT: A-number not given yet]";
        if (!a.empty()) cover.rows.emplace_back("A-number", a);
    }
    cover.rows.emplace_back("Case reference", case_.reference);
    if (!us)  // the caption names the respondent
        cover.rows.emplace_back(capitalised(env_.find("person")->text), case_.applicant.pseudonym);
    if (const Value* court = env_.find("court_name"); court && !court->text.empty())
        cover.rows.emplace_back("Addressed to", capitalised(court->text));
    if (!case_.instructions.firm.empty() && !options_.sample)
        cover.rows.emplace_back("Prepared for", case_.instructions.firm);
    std::string expert = case_.expert.name;
    if (!case_.expert.title.empty()) expert += ", " + case_.expert.title;
    cover.rows.emplace_back("Expert", expert);
    cover.rows.emplace_back("Date", long_date(case_.date));
    cover.notice = "Confidential \xE2\x80\x94 prepared for legal proceedings";
    if (options_.sample) {
        doc_.watermark = "SAMPLE";
        doc_.info.title = "Sample: " + doc_.info.title;
        cover.title += " \xE2\x80\x94 anonymised sample";
        cover.notice =
            "Anonymised sample report: the applicant is identified only by a "
            "pseudonym, and names and dates of birth have been removed";
    }
    if (options_.draft) {
        doc_.watermark = options_.sample ? "DRAFT SAMPLE" : "DRAFT";
        doc_.info.title = "Draft: " + doc_.info.title;
        cover.title = us ? "Draft expert declaration" : "Draft expert report";
        cover.notice =
            "Draft, not for service: what is still missing is marked [DRAFT: \xE2\x80\xA6]";
    }
}

// Each part of the case file and the section it goes to when no selected clause places it.
const std::vector<std::pair<std::string, std::string>>& case_part_sections() {
    static const std::vector<std::pair<std::string, std::string>> parts = {
        {"instructions", "instructions"},
        {"questions", "instructions"},
        {"documents", "documents"},
        {"account", "account"},
        {"issues", "issues"},
        {"assistance", "methodology"},
        {"limitations", "methodology"},
        {"notes", "assessment"},
        {"range_of_opinion", "range-of-opinion"},
        {"answers", "conclusions"},
    };
    return parts;
}

void Composer::case_part(Section& section, std::size_t index, const std::string& part) {
    if (!placed_.insert(part).second) return;  // printed once, where it was first placed
    if (part == "instructions") {
        for (const Case::Instruction& i : case_.instructions.items) {
            InlineBuilder b;
            b.text(long_date(i.date) + " (" + form_name(i.form) + "): ", Style::bold, i.span);
            b.text(i.summary, Style::regular, i.span);
            section.blocks.push_back(item_block(b.finish()));
        }
    } else if (part == "questions") {
        int n = 0;
        for (const Case::Question& q : case_.instructions.questions) {
            InlineBuilder b;
            b.text("(" + std::to_string(++n) + ") ", Style::regular, q.span);
            b.text(q.ask, Style::italic, q.span);
            Block block;
            block.kind = Block::Kind::quote;
            block.content = b.finish();
            section.blocks.push_back(std::move(block));
        }
    } else if (part == "documents") {
        for (const Case::DocumentRef& d : case_.documents.items) {
            InlineBuilder b;
            b.text(d.title, Style::italic, d.span);
            b.text(" [" + d.id + "]", Style::regular, d.span);
            if (d.date) b.text(", " + long_date(*d.date), Style::regular, d.span);
            if (d.pages > 0)
                b.text(", " + std::to_string(d.pages) + (d.pages == 1 ? " page" : " pages"),
                       Style::regular, d.span);
            section.blocks.push_back(item_block(b.finish()));
        }
    } else if (part == "account") {
        for (const Case::Event& e : case_.account) {
            InlineBuilder b;
            b.text(partial_date(e.date) + ": ", Style::bold, e.span);
            b.text(e.event, Style::regular, e.span);
            if (!e.source.empty()) b.text(" [" + e.source + "]", Style::regular, e.span);
            section.blocks.push_back(item_block(b.finish()));
        }
    } else if (part == "issues") {
        for (const Case::Issue& i : case_.issues) {
            InlineBuilder b;
            b.text(i.text, Style::regular, i.span);
            if (!i.source.empty()) b.text(" [" + i.source + "]", Style::regular, i.span);
            section.blocks.push_back(item_block(b.finish()));
        }
    } else if (part == "assistance") {
        for (const Case::Assistant& a : case_.assistance.items) {
            InlineBuilder b;
            b.text(a.name, Style::bold, a.span);
            b.text(": " + a.role, Style::regular, a.span);
            section.blocks.push_back(item_block(b.finish()));
        }
    } else if (part == "limitations") {
        if (!case_.limitations.empty())
            literal_paragraphs(section, case_.limitations, case_.limitations_span, true);
    } else if (part == "range_of_opinion") {
        for (const Case::View& v : case_.range_of_opinion.items) {
            InlineBuilder b;
            b.text(v.view, Style::regular, v.span);
            for (const Value& key : v.cite) cite(b, key.text, key.span);
            b.text(" " + v.response, Style::regular, v.span);
            section.blocks.push_back(numbered_block(b.finish()));
        }
    } else if (part == "notes") {
        if (!case_.notes.empty()) literal_paragraphs(section, case_.notes, case_.notes_span, true);
    } else if (part == "answers") {
        answers(section, index);
    }
}

void Composer::case_parts(Section& section, std::size_t index) {
    for (const auto& [part, home] : case_part_sections())
        if (home == section.id) case_part(section, index, part);
}

void Composer::draft_placeholders(Section& section, const std::string& id) {
    for (const rules::Gap& g : options_.gaps) {
        if (g.section != id || g.question > 0) continue;  // answers place their own
        InlineBuilder b;
        b.text("[DRAFT: " + g.placeholder + "]", Style::bold, g.span);
        section.blocks.push_back(numbered_block(b.finish()));
    }
}

void Composer::signature(Section& last) {
    auto plain = [&](const std::string& text) {
        InlineBuilder b;
        b.text(text, Style::regular, case_.expert.root.span);
        Block block;
        block.kind = Block::Kind::plain;
        block.content = b.finish();
        last.blocks.push_back(std::move(block));
    };
    Block sign;
    sign.kind = Block::Kind::signature;
    sign.image = case_.expert.signature;
    last.blocks.push_back(std::move(sign));
    plain(case_.expert.name + (case_.expert.title.empty() ? "" : ", " + case_.expert.title));
    plain("Dated " + long_date(case_.date));
}

Section Composer::cv_section() {
    const Expert& e = case_.expert;
    Section s;
    s.id = "cv";
    s.label = "Appendix A";
    s.title = "Curriculum vitae";
    s.appendix = true;
    auto span_of = [&](const char* key) {
        const Value* v = e.root.find(key);
        return v ? v->span : Span{e.file, 0, 0};
    };
    auto plain = [&](const std::string& text, Style style, const Span& origin) {
        if (text.empty()) return;
        InlineBuilder b;
        b.text(text, style, origin);
        Block block;
        block.kind = Block::Kind::plain;
        block.content = b.finish();
        s.blocks.push_back(std::move(block));
    };
    auto heading = [&](const std::string& title) {
        Block h;
        h.kind = Block::Kind::heading;
        Inline t;
        t.text = title;
        t.style = Style::bold;
        t.origin = {e.file, 0, 0};
        h.content.push_back(std::move(t));
        s.blocks.push_back(std::move(h));
    };
    plain(e.name, Style::bold, span_of("name"));
    plain(e.title, Style::regular, span_of("title"));
    plain(e.affiliation, Style::regular, span_of("affiliation"));
    plain(contact_after(e.contact, e.affiliation), Style::regular, span_of("contact"));
    if (!e.summary.empty()) {
        heading("Profile");
        plain(e.summary, Style::regular, span_of("summary"));
    }
    auto entries = [&](const std::vector<Expert::Entry>& list, const char* title) {
        if (list.empty()) return;
        heading(title);
        for (const Expert::Entry& item : list) {
            InlineBuilder b;
            if (!item.dates.empty()) b.text(item.dates + ": ", Style::bold, item.span);
            b.text(item.what, Style::regular, item.span);
            if (!item.institution.empty())
                b.text(", " + item.institution, Style::regular, item.span);
            s.blocks.push_back(item_block(b.finish()));
        }
    };
    // `works`: the items are publications, whose titles are set in italics.
    auto list = [&](const std::vector<std::string>& items, const char* key, const char* title,
                    bool works = false) {
        if (items.empty()) return;
        heading(title);
        const Value* v = e.root.find(key);
        for (std::size_t i = 0; i < items.size(); ++i) {
            InlineBuilder b;
            Span at = v && i < v->items.size() ? v->items[i].span : span_of(key);
            std::size_t n = works ? title_length(items[i]) : 0;
            if (n > 0) b.text(items[i].substr(0, n), Style::italic, at);
            b.text(items[i].substr(n), Style::regular, at);
            s.blocks.push_back(item_block(b.finish()));
        }
    };
    entries(e.qualifications, "Qualifications");
    entries(e.experience, "Experience");
    list(e.publications, "publications", "Selected publications", true);
    list(e.languages, "languages", "Languages");
    list(e.courts, "courts", "Reports for courts and tribunals");
    if (!e.independence.empty()) {
        heading("Independence");
        plain(e.independence, Style::regular, span_of("independence"));
    }
    return s;
}

}  // namespace dossier::compose::detail
