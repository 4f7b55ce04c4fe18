//! Local context rules: what one match of a name refers to, from the words around it
//! (national adjectives as the state, capitals as places or their governments, towns as their
//! districts, short and weak names).

use super::lexicon::lex;
use super::text::*;

/// A national adjective refers to the state ("Armenian forces", "Russian-backed", "the
/// Armenian-Azerbaijani talks"), not to people or a language ("ethnic Armenian", "in Russian").
pub(crate) fn adjective_is_state(t: &[u8], s: usize, e: usize) -> bool {
    // "pro-Russian", "anti-Armenian": an attitude, not the state
    if s >= 2
        && t[s - 1] == b'-'
        && prev_word(t, s - 1).is_some_and(|w| w.is_any(t, &["pro", "anti", "non"]))
    {
        return false;
    }
    if let Some(pw) = prev_word(t, s) {
        if pw.is_any(
            t,
            &[
                "ethnic",
                "ethnically",
                "fellow",
                "native",
                "speak",
                "speaks",
                "spoke",
                "speaking",
                "in",
            ],
        ) {
            // "in Armenian" is a language unless a state noun follows ("in Armenian territory")
            if !pw.is(t, "in") {
                return false;
            }
            if !next_word(t, e).is_some_and(|w| w.is_any(t, &lex().state_nouns)) {
                return false;
            }
        }
    }
    let mut pos = e;
    // second member of a relation compound: "Azerbaijani-Armenian peace treaty"
    if s >= 2
        && t[s - 1] == b'-'
        && t[s - 2].is_ascii_alphabetic()
        && (e >= t.len() || t[e] != b'-')
        && prev_word(t, s - 1).is_some_and(|w| w.is_capitalized(t))
    {
        return head_is(t, e, |w| {
            w.is_any(t, &lex().relation_nouns) || w.is_any(t, &lex().state_nouns)
        });
    }
    if pos < t.len() && t[pos] == b'-' {
        let Some(w) = next_tok(t, pos + 1).filter(|w| w.start == pos + 1 && w.is_word(t)) else {
            return false;
        };
        if w.is_any(t, &lex().state_suffixes) {
            return true;
        }
        if !w.is_capitalized(t) {
            return false;
        }
        // a chain of names: "Armenian-Azerbaijani", "Turkish-Armenian-..."; decide on the head noun
        let mut cur = w;
        for _ in 0..3 {
            let p = cur.end;
            match next_tok(t, p + 1) {
                Some(n)
                    if p < t.len()
                        && t[p] == b'-'
                        && n.start == p + 1
                        && n.is_word(t)
                        && n.is_capitalized(t) =>
                {
                    cur = n
                }
                _ => break,
            }
        }
        pos = cur.end;
        return head_is(t, pos, |w| {
            w.is_any(t, &lex().relation_nouns) || w.is_any(t, &lex().state_nouns)
        });
    }
    if skip_possessive(t, pos).is_some() {
        return false;
    }
    let mut p = pos;
    for _ in 0..4 {
        let Some(w) = next_word(t, p) else {
            return false;
        };
        if w.is_any(t, &["and", "or"]) {
            // "Armenian and Azerbaijani forces": skip the coordinated adjective
            match next_word(t, w.end) {
                Some(n) if n.is_capitalized(t) => {
                    p = n.end;
                    continue;
                }
                _ => return false,
            }
        }
        if w.is_any(t, &lex().ethnic_nouns) {
            return false;
        }
        if w.is_any(t, &lex().state_nouns) {
            return true;
        }
        if w.is_any(t, &lex().adj_skip) {
            p = w.end;
            continue;
        }
        return false;
    }
    false
}

/// The head noun after `pos`, skipping border modifiers, satisfies `f`.
fn head_is(t: &[u8], pos: usize, f: impl Fn(&Tok) -> bool) -> bool {
    let mut p = pos;
    for _ in 0..3 {
        let Some(w) = next_word(t, p) else {
            return false;
        };
        if f(&w) {
            return true;
        }
        if w.is_any(t, &lex().border_mods) || w.is_any(t, &lex().adj_skip) {
            p = w.end;
            continue;
        }
        return false;
    }
    false
}

/// "the Caucasus" / "Caspian coast": a weak alias is accepted after "the" or before a region noun,
/// never before another capitalised word (names of media, institutes, companies).
pub(crate) fn weak_alias_ok(t: &[u8], s: usize, e: usize) -> bool {
    let nxt = next_tok(t, e);
    if let Some(n) = nxt {
        if n.is_word(t) {
            if n.is_any(t, &lex().region_nouns) {
                return true;
            }
            if n.is_capitalized(t) {
                return false;
            }
            if n.is_any(
                t,
                &[
                    "mountains",
                    "mountain",
                    "range",
                    "ridge",
                    "flotilla",
                    "fleet",
                    "pipeline",
                ],
            ) {
                return false;
            }
        }
    }
    if skip_possessive(t, e).is_some() {
        return prev_word(t, s).is_some_and(|w| w.is(t, "the"));
    }
    prev_word(t, s).is_some_and(|w| w.is(t, "the"))
}

/// "city of Nakhchivan", "Nakhchivan city".
pub(crate) fn is_city_qualified(t: &[u8], s: usize, e: usize) -> bool {
    if let Some(n) = next_word(t, e) {
        if n.is(t, "city") {
            return true;
        }
    }
    if let Some(p) = prev_word(t, s) {
        if p.is(t, "of") {
            if let Some(pp) = prev_word(t, p.start) {
                return pp.is_any(t, &["city", "town"]);
            }
        }
    }
    false
}

/// Short names (Van, Kars, Poti, Gori) are common words or parts of other names.
pub(crate) fn short_name_ok(t: &[u8], s: usize, e: usize) -> bool {
    if let Some(n) = next_word(t, e) {
        if n.is_capitalized(t)
            && !n.is_any(
                t,
                &[
                    "province", "city", "lake", "region", "district", "airport", "castle",
                    "fortress", "port",
                ],
            )
        {
            return false;
        }
    }
    if let Some(p) = prev_tok(t, s) {
        if p.is_word(t)
            && p.is_capitalized(t)
            && !p.is_any(
                t,
                &["in", "at", "from", "to", "near", "lake", "of", "and", "the"],
            )
        {
            // capitalised word before: part of a longer name unless at sentence start
            if prev_tok(t, p.start).is_some_and(|pp| pp.is_word(t)) {
                return false;
            }
        }
    }
    true
}

/// "Lachin district", "Lachin and Kalbajar districts", "the Aghdam direction".
pub(crate) fn followed_by_district(t: &[u8], e: usize) -> bool {
    let mut p = e;
    for _ in 0..3 {
        let Some(n) = next_tok(t, p) else {
            return false;
        };
        if n.is_word(t) {
            if n.is_any(t, &lex().district_nouns) {
                return true;
            }
            if n.is_any(t, &["and", "or"]) {
                match next_word(t, n.end) {
                    Some(c) if c.is_capitalized(t) => {
                        p = c.end;
                        continue;
                    }
                    _ => return false,
                }
            }
            return false;
        } else if n.is_punct(t, b',') {
            match next_word(t, n.end) {
                Some(c) if c.is_capitalized(t) => {
                    p = c.end;
                    continue;
                }
                _ => return false,
            }
        } else {
            return false;
        }
    }
    false
}

/// A capital at the start of a clause (sentence start, after a comma or a conjunction).
fn subject_position(t: &[u8], s: usize) -> bool {
    match prev_tok(t, s) {
        None => true,
        Some(p) if !p.is_word(t) => matches!(
            t[p.start],
            b'\n' | b',' | b';' | b':' | b'"' | b'(' | b'-' | b'.'
        ),
        Some(p) => p.is_any(
            t,
            &[
                "and",
                "but",
                "while",
                "as",
                "that",
                "when",
                "because",
                "after",
                "since",
                "although",
                "though",
                "whereas",
                "so",
                "yet",
                "if",
                "where",
                "meanwhile",
                "then",
                "also",
                "now",
                "which",
                "until",
                "before",
                "officially",
                "reportedly",
            ],
        ),
    }
}

/// A lower-case word that looks like a finite verb ("deployed", "accuses").
fn looks_like_verb(t: &[u8], w: &Tok) -> bool {
    let b = w.bytes(t);
    if b.len() < 4 || !b[0].is_ascii_lowercase() {
        return false;
    }
    b.ends_with(b"ed") || (b.ends_with(b"s") && !b.ends_with(b"ss") && !b.ends_with(b"us"))
}

/// A capital used as a place (true) or for its government (false). Each rule below decides
/// (Some) or passes (None); a capital no rule decides is a place.
pub(crate) fn capital_is_literal(t: &[u8], s: usize, e: usize) -> bool {
    if is_dateline(t, s, e) {
        return true;
    }
    if is_headline_attribution(t, s, e) {
        return false;
    }
    compound_decides(t, s, e)
        .or_else(|| word_before_decides(t, coordination_start(t, s)))
        .or_else(|| possessive_decides(t, e))
        .or_else(|| government_noun_after(t, e).then_some(false))
        .or_else(|| verb_after_decides(t, s, coordination_end(t, e)))
        .unwrap_or(true)
}

/// Datelines: "YEREVAN —", "Baku, Sept 5 (Reuters) -", "Tehran, Oct 17, (dpa) –".
fn is_dateline(t: &[u8], s: usize, e: usize) -> bool {
    if !at_line_start(t, s) {
        return false;
    }
    if t[s..e].iter().all(|b| !b.is_ascii_lowercase()) && e - s > 2 {
        return true;
    }
    let Some(n) = next_tok(t, e) else {
        return false;
    };
    if n.is_punct(t, b'-') || n.is_punct(t, b'(') {
        return true;
    }
    n.is_punct(t, b',')
        && next_word(t, n.end)
            .is_some_and(|m| m.is_any(t, super::document::MONTHS) || t[m.start].is_ascii_digit())
}

/// A capital closing a headline after a colon names who said it: "Talks stall: Yerevan".
fn is_headline_attribution(t: &[u8], s: usize, e: usize) -> bool {
    let line_end = t[e..]
        .iter()
        .find(|&&b| b != b' ' && b != b'\r')
        .is_none_or(|&b| b == b'\n');
    line_end && prev_tok(t, s).is_some_and(|p| p.is_punct(t, b':'))
}

/// Route/relation compounds: "Baku-Tbilisi-Ceyhan pipeline" (literal), "Baku-Yerevan talks"
/// (metonym).
fn compound_decides(t: &[u8], s: usize, e: usize) -> Option<bool> {
    let dash_after = e < t.len() && t[e] == b'-' && e + 1 < t.len() && is_word_byte(t[e + 1]);
    let dash_before = s >= 2 && t[s - 1] == b'-' && is_word_byte(t[s - 2]);
    if !(dash_after || dash_before) {
        return None;
    }
    let mut p = e;
    while p < t.len() && t[p] == b'-' {
        match next_tok(t, p + 1) {
            Some(n) if n.start == p + 1 && n.is_word(t) => p = n.end,
            _ => break,
        }
    }
    Some(!head_is(t, p, |w| w.is_any(t, &lex().relation_nouns)))
}

/// A coordination conjunction or comma.
fn is_coordinator(t: &[u8], c: &Tok) -> bool {
    (c.is_word(t) && c.is_any(t, &["and", "or"])) || c.is_punct(t, b',')
}

/// Start of a coordination ending at `s`: "Ankara and Yerevan", "Baku, Tbilisi and Ankara".
fn coordination_start(t: &[u8], s: usize) -> usize {
    let mut p = s;
    for _ in 0..3 {
        match prev_tok(t, p) {
            Some(c) if is_coordinator(t, &c) => match prev_tok(t, c.start) {
                Some(w) if w.is_word(t) && w.is_capitalized(t) => p = w.start,
                _ => break,
            },
            _ => break,
        }
    }
    p
}

/// End of a coordination starting at `e`: "Baku and Yerevan have agreed".
fn coordination_end(t: &[u8], e: usize) -> usize {
    let mut q = e;
    for _ in 0..3 {
        match next_tok(t, q) {
            Some(c) if is_coordinator(t, &c) => match next_word(t, c.end) {
                Some(w) if w.is_capitalized(t) => q = w.end,
                _ => break,
            },
            _ => break,
        }
    }
    q
}

const PRESSURE_WORDS: [&str; 7] = [
    "pressure",
    "called",
    "calls",
    "call",
    "sanctions",
    "pressing",
    "leaning",
];

/// The word before the capital (or its coordination starting at `p`): "a message to Baku",
/// "talks with Tbilisi", "flights between A and B", "pressure on Yerevan", "accused Baku", "in Baku".
fn word_before_decides(t: &[u8], p: usize) -> Option<bool> {
    let pw = prev_word(t, p)?;
    let ppw = prev_word(t, pw.start);
    let ppw_in = |l: &dyn WordList| ppw.is_some_and(|w| w.is_any(t, l));
    if pw.is(t, "from") || pw.is(t, "to") {
        let l = lex();
        return Some(!(ppw_in(&l.comm_nouns) || ppw_in(&l.metonym_object_verbs)));
    }
    if pw.is(t, "with") {
        return ppw_in(&lex().with_nouns).then_some(false);
    }
    if pw.is(t, "between") {
        return Some(ppw_in(&lex().travel_nouns));
    }
    if pw.is(t, "on") {
        return ppw_in(&PRESSURE_WORDS).then_some(false);
    }
    if pw.is_any(t, &lex().metonym_object_verbs) {
        return Some(false);
    }
    pw.is_any(t, &lex().literal_preps).then_some(true)
}

/// Possessive: "Baku's streets", "Tbilisi's Rustaveli Avenue" (the city) vs "Baku's position".
fn possessive_decides(t: &[u8], e: usize) -> Option<bool> {
    let pe = skip_possessive(t, e)?;
    Some(next_word(t, pe).is_some_and(|w| w.is_capitalized(t) || w.is_any(t, &lex().city_nouns)))
}

const GOVERNMENT_NOUNS: [&str; 7] = [
    "government",
    "regime",
    "authorities",
    "leadership",
    "administration",
    "officials",
    "establishment",
];

/// "the Baku government", "the Tehran regime".
fn government_noun_after(t: &[u8], e: usize) -> bool {
    next_word(t, e).is_some_and(|w| w.is_any(t, &GOVERNMENT_NOUNS))
}

const TALKS_VERBS: [&str; 12] = [
    "held",
    "holds",
    "hold",
    "conducted",
    "began",
    "begins",
    "opened",
    "opens",
    "started",
    "starts",
    "entered",
    "enters",
];

/// A government verb as the capital's predicate: "Baku said", "Moscow held talks with",
/// "Baku has long insisted", "Tehran summons".
fn verb_after_decides(t: &[u8], s: usize, q: usize) -> Option<bool> {
    let nw = next_word(t, q)?;
    let l = lex();
    if nw.is_any(t, &TALKS_VERBS)
        && next_word(t, nw.end).is_some_and(|w| w.is_any(t, &l.with_nouns))
    {
        return Some(false);
    }
    let subject = subject_position(t, s);
    let action = |w: &Tok| subject && looks_like_verb(t, w) && !w.is_any(t, &l.literal_verbs);
    if nw.is_any(t, &l.aux_words) {
        // "Baku has long insisted", "Yerevan is ready to", "Moscow has deployed"
        let mut r = nw.end;
        for _ in 0..3 {
            let w = next_word(t, r)?;
            if w.is_any(t, &l.adverb_skip) {
                r = w.end;
                continue;
            }
            let metonym = (w.is_any(t, &l.metonym_verbs) && !w.is_any(t, &l.aux_words))
                || w.is_any(t, &l.metonym_predicates)
                || action(&w);
            return metonym.then_some(false);
        }
        return None;
    }
    (nw.is_any(t, &l.metonym_verbs) || action(&nw)).then_some(false)
}
