//! Border rules: which pair of countries a "border"/"frontier"/"boundary" word refers to.
//!
//! Explicit phrasings (resolved from the words around the border word):
//! * compounds: "Armenian-Azerbaijani border", "Iran-Azerbaijan frontier", "Nakhchivan-Turkey border"
//! * "border(s) between X and Y"
//! * "X's (eastern) border with Y (and Z)", "on/along the border with Y", "shares a border with Y"
//!   (X: the possessor, else the nearest place/country before it in the sentence, else the last
//!   country mentioned)
//! * verbs: "X borders Y and Z", "bordering Y", "bordered by Y"
//!
//! Co-reference: "their (common) border", "the countries' shared border", "cross-border",
//! "the border" resolve to the pair of countries the text is about at that point: two countries
//! named in the same sentence before the border word, else the last pair named together in an
//! earlier sentence (or the last explicitly resolved border). A bare "the border" right after a
//! breakaway region (Abkhazia, South Ossetia) is not resolved: their boundary lines are not
//! international borders. Sub-regions stand for their country (Nakhchivan → AZE, Adjara → GEO).
//! "line of contact"/"contact line" in a text about Karabakh → the Karabakh line.

use super::events::{BorderId, BorderMention, EntryInfo, Ev, EvKind, Form};
use super::gazetteer::{BORDER_PAIRS, COUNTRY_ORDER};
use super::lexicon::lex;
use super::text::*;

/// Side of a border phrase before the border word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Country(u8),
    /// "its border", "the country's border": the subject of the sentence
    Unknown,
    /// a breakaway region: not an international border
    Blocked,
}

#[derive(Clone, Copy, Debug)]
struct Focus {
    a: u8,
    b: u8,
    pos: usize,
    sent: usize,
    /// named together ("X and Y", "X-Y", "between X and Y") or from an explicit border phrase
    coord: bool,
    /// picked out of a sentence naming more than two countries
    many: bool,
}

pub(crate) fn pair_code(a: u8, b: u8) -> Option<BorderId> {
    if a == b {
        return None;
    }
    let (x, y) = (COUNTRY_ORDER[a as usize], COUNTRY_ORDER[b as usize]);
    let code = if x < y {
        format!("{x}-{y}")
    } else {
        format!("{y}-{x}")
    };
    if BORDER_PAIRS.contains(&code.as_str()) {
        Some(BorderId::Pair(a.min(b), a.max(b)))
    } else {
        None
    }
}

struct Ctx<'a> {
    entries: &'a [EntryInfo],
    t: &'a [u8],
    evs: &'a [Ev],
    /// events visited by the sentence-level scans (a deterministic measure of the work done)
    work: std::cell::Cell<u64>,
}

impl<'a> Ctx<'a> {
    fn tally(&self, events: usize) {
        self.work.set(self.work.get() + events as u64);
    }
    fn ref_entry(&self, k: usize) -> Option<(u32, Form, Option<u32>)> {
        match self.evs[k].kind {
            EvKind::Ref {
                entry,
                form,
                target,
            } => Some((entry, form, target)),
            _ => None,
        }
    }
    /// Border country of a ref (Side), by the matched name (not its attribution).
    fn side_of(&self, k: usize) -> Option<Side> {
        let (entry, _, _) = self.ref_entry(k)?;
        let info = &self.entries[entry as usize];
        if info.breakaway {
            return Some(Side::Blocked);
        }
        info.bc.map(Side::Country)
    }
    /// Counted country (state mention) of a ref.
    fn counted_country(&self, k: usize) -> Option<u8> {
        let (_, _, target) = self.ref_entry(k)?;
        self.entries[target? as usize].country
    }
    fn is_block(&self, k: usize) -> bool {
        match self.ref_entry(k) {
            Some((entry, _, target)) => {
                self.entries[entry as usize].coref_block
                    || target.is_some_and(|x| self.entries[x as usize].coref_block)
            }
            None => false,
        }
    }
    /// Index of the event ending exactly at `pos` (a ref).
    fn ref_ending_at(&self, pos: usize) -> Option<usize> {
        let k = self.evs.partition_point(|e| e.e < pos);
        (k < self.evs.len() && self.evs[k].e == pos && self.ref_entry(k).is_some()).then_some(k)
    }
    /// Gap text between two events, trimmed.
    fn gap(&self, a: usize, b: usize) -> &'a [u8] {
        let (mut s, mut e) = (self.evs[a].e, self.evs[b].s);
        if let Some(ps) = skip_possessive(self.t, s) {
            s = ps.min(e);
        }
        while s < e && self.t[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && self.t[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        &self.t[s..e]
    }
    fn coordinated(&self, a: usize, b: usize) -> bool {
        let g = self.gap(a, b);
        g == b"-"
            || g == b","
            || g == b"/"
            || g == b"&"
            || g.eq_ignore_ascii_case(b"and")
            || g.eq_ignore_ascii_case(b", and")
            || g.eq_ignore_ascii_case(b"or")
    }
}

/// Runs the border rules over the events of one text. Returns the border mentions in folded
/// coordinates, in text order, and the number of events the sentence-level scans visited.
pub(crate) fn resolve(
    entries: &[EntryInfo],
    t: &[u8],
    evs: &[Ev],
    karabakh: Option<u32>,
) -> (Vec<BorderMention>, u64) {
    let cx = Ctx {
        entries,
        t,
        evs,
        work: std::cell::Cell::new(0),
    };
    let mut out: Vec<BorderMention> = Vec::new();
    if !evs
        .iter()
        .any(|e| matches!(e.kind, EvKind::Border | EvKind::ContactLine))
    {
        return (out, 0);
    }
    let doc_karabakh = karabakh.is_some_and(|kb| {
        evs.iter()
            .any(|e| matches!(e.kind, EvKind::Ref { target: Some(x), .. } if x == kb))
    });
    // sentences that mention a coref-blocking (breakaway) region anywhere
    let mut block_sents: Vec<usize> = (0..evs.len())
        .filter(|&k| cx.is_block(k))
        .map(|k| evs[k].sent)
        .collect();
    block_sents.dedup();

    let mut focus: Option<Focus> = None;
    let mut last_block: Option<usize> = None;
    let mut last_country: Option<u8> = None;
    // first country-bearing ref of the last sentence that had one (its subject), and of this one
    let mut prev_subject: Option<u8> = None;
    let mut cur_subject: Option<u8> = None;
    let mut sent_start_k = 0usize; // first event index of the current sentence
    let mut cur_sent = usize::MAX;
    let mut explicit_in_sent = false;

    for (k, &ev) in evs.iter().enumerate() {
        if ev.sent != cur_sent {
            if cur_sent != usize::MAX && !explicit_in_sent {
                // a sentence naming three or more countries does not change the pair in focus
                if let Some(f) = sentence_pair(&cx, sent_start_k, k, usize::MAX).filter(|f| !f.many)
                {
                    focus = Some(f);
                }
            }
            if cur_subject.is_some() {
                prev_subject = cur_subject;
            }
            cur_subject = None;
            cur_sent = ev.sent;
            sent_start_k = k;
            explicit_in_sent = false;
        }
        match ev.kind {
            EvKind::Ref { .. } => {
                if cx.is_block(k) {
                    last_block = Some(ev.s);
                }
                if let Some(c) = cx.counted_country(k) {
                    last_country = Some(c);
                }
                if cur_subject.is_none() {
                    if let Some(Side::Country(c)) = cx.side_of(k) {
                        cur_subject = Some(c);
                    }
                }
            }
            EvKind::ContactLine => {
                if doc_karabakh {
                    out.push(BorderMention::new(
                        BorderId::KarabakhLine,
                        ev.s,
                        ev.e,
                        ev.sent,
                    ));
                }
            }
            EvKind::UsCue | EvKind::NorthCue => {}
            EvKind::Border => {
                let st = State {
                    focus,
                    last_block,
                    last_country,
                    prev_subject,
                    sent_start_k,
                    block_sents: &block_sents,
                };
                match resolve_one(&cx, k, &st) {
                    Outcome::Explicit(pairs, s, e) => {
                        for &(a, b) in &pairs {
                            if let Some(id) = pair_code(a, b) {
                                out.push(BorderMention::new(id, s, e, ev.sent));
                            }
                        }
                        if let Some(&(a, b)) = pairs
                            .iter()
                            .rev()
                            .find(|(a, b)| pair_code(*a, *b).is_some())
                        {
                            focus = Some(Focus {
                                a,
                                b,
                                pos: ev.e,
                                sent: ev.sent,
                                coord: true,
                                many: false,
                            });
                            explicit_in_sent = true;
                        }
                    }
                    Outcome::Coref(a, b) => {
                        if let Some(id) = pair_code(a, b) {
                            out.push(BorderMention::new(id, ev.s, ev.e, ev.sent));
                        }
                    }
                    Outcome::None => {}
                }
            }
        }
    }
    out.sort_by_key(|m| m.start);
    (out, cx.work.get())
}

struct State<'s> {
    focus: Option<Focus>,
    last_block: Option<usize>,
    last_country: Option<u8>,
    prev_subject: Option<u8>,
    sent_start_k: usize,
    block_sents: &'s [usize],
}

enum Outcome {
    Explicit(Vec<(u8, u8)>, usize, usize),
    Coref(u8, u8),
    None,
}

/// The pair of countries a sentence (events `from..to`, before folded offset `before`) is about:
/// exactly two distinct countries named, or the last coordinated pair ("X and Y", "X-Y").
fn sentence_pair(cx: &Ctx, from: usize, to: usize, before: usize) -> Option<Focus> {
    let mut distinct: Vec<(u8, usize)> = Vec::new();
    let mut refs: Vec<usize> = Vec::new();
    for k in from..to {
        cx.tally(1);
        if cx.evs[k].s >= before {
            break;
        }
        if let Some(c) = cx.counted_country(k) {
            refs.push(k);
            if !distinct.iter().any(|(d, _)| *d == c) {
                distinct.push((c, k));
            }
        }
    }
    let sent = cx.evs.get(from).map_or(0, |e| e.sent);
    match distinct.len() {
        2 => {
            let last = *refs.last().unwrap();
            let coord = refs.windows(2).any(|w| {
                cx.counted_country(w[0]) != cx.counted_country(w[1]) && cx.coordinated(w[0], w[1])
            }) || between_before(cx, refs[0]);
            Some(Focus {
                a: distinct[0].0,
                b: distinct[1].0,
                pos: cx.evs[last].e,
                sent,
                coord,
                many: false,
            })
        }
        n if n > 2 => {
            for w in refs.windows(2).rev() {
                let (x, y) = (cx.counted_country(w[0])?, cx.counted_country(w[1])?);
                if x != y && cx.coordinated(w[0], w[1]) {
                    return Some(Focus {
                        a: x,
                        b: y,
                        pos: cx.evs[w[1]].e,
                        sent,
                        coord: true,
                        many: true,
                    });
                }
            }
            None
        }
        _ => None,
    }
}

/// How many events before a border word the sentence-level rules look at (bounds the work on
/// text without sentence punctuation).
const WINDOW: usize = 64;

/// The border word itself, lower-cased ("border", "frontiers", "bordering", ...).
struct BorderWord {
    buf: [u8; 16],
    len: usize,
}

impl BorderWord {
    fn of(word: &[u8]) -> BorderWord {
        let mut buf = [0u8; 16];
        let len = word.len().min(16);
        buf[..len].copy_from_slice(&word[..len]);
        buf[..len].make_ascii_lowercase();
        BorderWord { buf, len }
    }
    fn is(&self, w: &[u8]) -> bool {
        &self.buf[..self.len] == w
    }
    fn plural(&self) -> bool {
        self.buf[..self.len].ends_with(b"s") || self.is(b"boundaries")
    }
    /// "X borders Y", "bordering Y"
    fn is_verb(&self) -> bool {
        self.is(b"borders") || self.is(b"bordering")
    }
}

/// What the words before a border word say.
#[derive(Default)]
struct Left {
    /// a co-reference cue: "their", "common", "cross-", "the countries'"
    strong: bool,
    /// one side is known: a country, the sentence subject ("its border"), or a breakaway region
    single: Option<Side>,
    /// refs of a compound or possessive before the word ("Armenia-Azerbaijan", "Iran's")
    chain: Vec<usize>,
}

fn resolve_one(cx: &Ctx, k: usize, st: &State) -> Outcome {
    let b = cx.evs[k];
    let word = BorderWord::of(&cx.t[b.s..b.e]);
    let mut left = left_side(cx, k);
    if left.chain.len() >= 2 {
        return chain_outcome(cx, &left.chain, b.e);
    }
    if let Some(&j) = left.chain.first() {
        left.single = cx.side_of(j);
        if left.single.is_none() {
            return Outcome::None; // "the Syrian border": not one of ours
        }
    }
    let left_start = left.chain.first().map_or(b.s, |&j| cx.evs[j].s);
    if let Some(o) = right_side(cx, k, st, &word, &mut left, left_start) {
        return o;
    }
    if word.is(b"bordering") || word.is(b"bordered") {
        return Outcome::None;
    }
    coreference(cx, k, st, &word, &left)
}

/// Reads the modifiers and the owner before the border word at event `k`.
fn left_side(cx: &Ctx, k: usize) -> Left {
    let t = cx.t;
    let b = cx.evs[k];
    let mut left = Left::default();
    let mut p = b.s;
    if p >= 2 && t[p - 1] == b'-' && prev_word(t, p - 1).is_some_and(|w| w.is(t, "cross")) {
        left.strong = true;
    }
    let all_digits = |w: &Tok| w.bytes(t).iter().all(|c| c.is_ascii_digit());
    for _ in 0..5 {
        match prev_tok(t, p) {
            Some(w) if w.is_word(t) && (w.is_any(t, &lex().border_mods) || all_digits(&w)) => {
                if w.is_any(t, &lex().coref_strong) {
                    left.strong = true;
                }
                p = w.start;
            }
            Some(d) if d.is_punct(t, b'-') => match prev_tok(t, d.start) {
                Some(w) if w.is_word(t) && all_digits(&w) => p = w.start,
                _ => break,
            },
            _ => break,
        }
    }
    match prev_tok(t, p) {
        Some(w) if w.is_word(t) && w.is(t, "their") => left.strong = true,
        Some(w) if w.is_word(t) && w.is_any(t, &["its", "his", "her"]) => {
            left.single = Some(Side::Unknown)
        }
        Some(w) if w.is_word(t) && w.is(t, "s") && w.start > 0 && t[w.start - 1] == b'\'' => {
            possessive(
                cx,
                w.start - 1,
                &mut left.strong,
                &mut left.single,
                &mut left.chain,
            );
        }
        Some(q) if q.is_punct(t, b'\'') => {
            possessive(
                cx,
                q.start,
                &mut left.strong,
                &mut left.single,
                &mut left.chain,
            );
        }
        Some(w) => {
            if let Some(j) = cx.ref_ending_at(w.end) {
                left.chain = collect_chain(cx, j);
            }
        }
        None => {}
    }
    left
}

/// A compound of two or more places before the word: "Armenia-Azerbaijan-Iran border".
fn chain_outcome(cx: &Ctx, chain: &[usize], end: usize) -> Outcome {
    let mut cs: Vec<u8> = Vec::with_capacity(chain.len());
    for &j in chain {
        match cx.side_of(j) {
            Some(Side::Country(c)) => cs.push(c),
            // breakaway or unknown member: not an international border
            _ => return Outcome::None,
        }
    }
    let pairs: Vec<(u8, u8)> = cs
        .windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| (w[0], w[1]))
        .collect();
    if pairs.is_empty() {
        return Outcome::None;
    }
    Outcome::Explicit(pairs, cx.evs[chain[0]].s, end)
}

/// Offset after the nouns of a compound ("border demarcation between", "border crossing with")
/// and a copula before "with" ("Armenia's only open borders are with Georgia and Iran").
fn skip_compound_nouns(t: &[u8], mut after: usize) -> usize {
    for _ in 0..2 {
        match next_word(t, after) {
            Some(w) if w.is_any(t, &lex().border_nouns) => after = w.end,
            Some(w)
                if w.is_any(t, &["is", "are", "was", "were"])
                    && next_word(t, w.end).is_some_and(|n| n.is(t, "with")) =>
            {
                after = w.end
            }
            _ => break,
        }
    }
    // "Turkey's eastern borders, with Iran, Armenia and Georgia"
    if let Some(c) = next_tok(t, after) {
        if c.is_punct(t, b',') && next_word(t, c.end).is_some_and(|w| w.is(t, "with")) {
            after = c.end;
        }
    }
    after
}

/// "border(s) with Ukraine", "between Turkey and Syria": a capitalised name that is not ours.
fn foreign_border(cx: &Ctx, k: usize, n: &Tok) -> bool {
    let t = cx.t;
    if !n.is_any(t, &["with", "between"]) {
        return false;
    }
    next_word(t, n.end)
        .and_then(|w| {
            if w.is(t, "the") {
                next_word(t, w.end)
            } else {
                Some(w)
            }
        })
        .is_some_and(|w| w.is_capitalized(t) && ref_starting_near(cx, k, w.start, 0).is_none())
}

/// Explicit phrasings after the word: "between X and Y", "with Y (and Z)", "borders Y",
/// "bordered by Y", "borders both countries". None: they say nothing, go on to co-reference.
fn right_side(
    cx: &Ctx,
    k: usize,
    st: &State,
    word: &BorderWord,
    left: &mut Left,
    left_start: usize,
) -> Option<Outcome> {
    let t = cx.t;
    let b = cx.evs[k];
    let after = skip_compound_nouns(t, b.e);
    let n = next_word(t, after).or_else(|| next_word(t, b.e))?;
    if foreign_border(cx, k, &n) {
        return Some(Outcome::None);
    }
    if n.is(t, "between") {
        if let Some((x, y)) = between_pair(cx, k, n.end) {
            if let (Some(Side::Country(a)), Some(Side::Country(c))) = (cx.side_of(x), cx.side_of(y))
            {
                return Some(Outcome::Explicit(vec![(a, c)], b.s, cx.evs[y].e));
            }
            return Some(Outcome::None);
        }
        if next_word(t, n.end).is_some_and(|w| w.is_any(t, &["the", "both", "two"])) {
            left.strong = true;
        }
    }
    let by = word.is(b"bordered") && n.is(t, "by");
    if word.is_verb() || by || n.is(t, "with") {
        let q = if word.is(b"bordered") || n.is(t, "with") {
            n.end
        } else {
            b.e
        };
        if let Some(o) = both_countries(cx, k, st, q, left.single, left_start) {
            return Some(o);
        }
    }
    let ys_from = if n.is(t, "with") || by {
        n.end
    } else if word.is_verb() && ref_starting_near(cx, k, b.e, 2).is_some() {
        b.e
    } else {
        return None;
    };
    list_outcome(cx, k, st, ys_from, left.single, left_start)
}

const PLURAL_OWNERS: [&str; 6] = [
    "countries",
    "nations",
    "states",
    "neighbours",
    "neighbors",
    "republics",
];

/// "X borders both countries", "X shares borders with the two countries": X and the pair in
/// focus.
fn both_countries(
    cx: &Ctx,
    k: usize,
    st: &State,
    mut q: usize,
    single: Option<Side>,
    left_start: usize,
) -> Option<Outcome> {
    let t = cx.t;
    let mut both = false;
    for _ in 0..2 {
        match next_word(t, q) {
            Some(w) if w.is_any(t, &["both", "the", "two", "these", "those"]) => {
                both |= w.is_any(t, &["both", "two"]);
                q = w.end;
            }
            _ => break,
        }
    }
    let plural_owner = next_word(t, q).is_some_and(|w| w.is_any(t, &PLURAL_OWNERS));
    if !(both && plural_owner) {
        return None;
    }
    let f = st.focus?;
    let x = match single {
        Some(Side::Country(c)) => c,
        Some(_) => return None,
        None => match subject(cx, k, &[f.a, f.b], st) {
            Some(Side::Country(c)) => c,
            _ => return None,
        },
    };
    let pairs: Vec<(u8, u8)> = [f.a, f.b]
        .iter()
        .filter(|&&c| c != x)
        .map(|&c| (x, c))
        .collect();
    (!pairs.is_empty()).then(|| Outcome::Explicit(pairs, left_start, cx.evs[k].e))
}

/// "X's border with Y and Z", "X borders Y": X (the owner, else the subject) paired with each Y.
fn list_outcome(
    cx: &Ctx,
    k: usize,
    st: &State,
    from: usize,
    single: Option<Side>,
    left_start: usize,
) -> Option<Outcome> {
    let ys = collect_list(cx, k, from);
    let last = *ys.last()?;
    let yc: Vec<u8> = ys
        .iter()
        .filter_map(|&y| match cx.side_of(y) {
            Some(Side::Country(c)) => Some(c),
            _ => None,
        })
        .collect();
    let x = match single {
        Some(Side::Country(c)) => Some(Side::Country(c)),
        Some(Side::Blocked) => Some(Side::Blocked),
        _ => subject(cx, k, &yc, st),
    };
    let Some(Side::Country(a)) = x else {
        return Some(Outcome::None);
    };
    let pairs: Vec<(u8, u8)> = yc.iter().filter(|&&c| c != a).map(|&c| (a, c)).collect();
    if pairs.is_empty() {
        return Some(Outcome::None);
    }
    Some(Outcome::Explicit(pairs, left_start, cx.evs[last].e))
}

/// Co-reference: "their common border", "the border" resolve to the pair of countries the text
/// is about at that point.
fn coreference(cx: &Ctx, k: usize, st: &State, word: &BorderWord, left: &Left) -> Outcome {
    let b = cx.evs[k];
    let (strong, single) = (left.strong, left.single);
    let from = st.sent_start_k.max(k.saturating_sub(WINDOW));
    if single == Some(Side::Blocked) {
        return Outcome::None;
    }
    if word.plural() && !strong {
        return Outcome::None; // "its borders", "changing borders": borders in general
    }
    let cur = sentence_pair(cx, from, k, b.s);
    let single_country = matches!(single, Some(Side::Country(_)));
    // near a breakaway region (this or the last three sentences) a weak "the border" is its
    // boundary line, not a state border
    let block_near = {
        let lo = st.block_sents.partition_point(|&bs| bs + 3 < b.sent);
        st.block_sents.get(lo).is_some_and(|&bs| bs <= b.sent)
    };
    if !strong && st.block_sents.binary_search(&b.sent).is_ok() {
        return Outcome::None;
    }
    // two countries named before the word in this sentence; a weak "the border" needs them named
    // together, one of them as its owner, or no breakaway region nearby
    let cur = cur.filter(|f| strong || f.coord || single_country || !block_near);
    let mut cand = cur.map(|f| (f.a, f.b));
    if cur.is_some_and(|f| f.many) {
        // "Ankara is waiting for a peace deal between Yerevan and Baku before opening the border":
        // with three or more countries named, keep the pair in focus when the sentence names both
        if let Some(f) = st.focus {
            cx.tally(k - from);
            let here: Vec<u8> = (from..k).filter_map(|j| cx.counted_country(j)).collect();
            if here.contains(&f.a) && here.contains(&f.b) {
                cand = Some((f.a, f.b));
            }
        }
    }
    let (a, c) = match cand {
        Some(p) => p,
        None => match focus_pair(cx, k, st, from, strong) {
            Some(p) => p,
            None => return Outcome::None,
        },
    };
    if let Some(Side::Country(x)) = single {
        if x != a && x != c {
            return Outcome::None;
        }
    }
    Outcome::Coref(a, c)
}

/// The pair in focus from earlier sentences, when a weak "the border" may refer to it (named
/// together, at most four sentences back, no breakaway region or other country since).
fn focus_pair(cx: &Ctx, k: usize, st: &State, from: usize, strong: bool) -> Option<(u8, u8)> {
    let f = st.focus?;
    let b = cx.evs[k];
    if !strong {
        if !f.coord
            || b.sent.saturating_sub(f.sent) > 4
            || st.last_block.is_some_and(|lb| lb > f.pos)
        {
            return None;
        }
        // one other country named in this sentence before the word: not about the pair
        cx.tally(k - from);
        let other = (from..k)
            .filter_map(|j| cx.counted_country(j))
            .any(|c| c != f.a && c != f.b);
        if other {
            return None;
        }
    }
    Some((f.a, f.b))
}

/// Left side "X's border": `q` is the offset of the apostrophe.
fn possessive(
    cx: &Ctx,
    q: usize,
    strong: &mut bool,
    single: &mut Option<Side>,
    chain: &mut Vec<usize>,
) {
    let t = cx.t;
    if let Some(j) = cx.ref_ending_at(q) {
        *chain = collect_chain(cx, j);
        return;
    }
    if let Some(o) = prev_word(t, q) {
        if o.is_any(t, &lex().coref_plural_owners) {
            *strong = true;
        } else if o.is_any(
            t,
            &[
                "country", "nation", "state", "republic", "kingdom", "region", "province",
            ],
        ) {
            *single = Some(Side::Unknown);
        }
    }
}

/// Refs joined by dashes/slashes ending with ref `j`: "Iran-Azerbaijan", "Armenian-Turkish".
fn collect_chain(cx: &Ctx, j: usize) -> Vec<usize> {
    let mut v = vec![j];
    let mut cur = j;
    while cur > 0 && v.len() < 4 {
        let prev = cur - 1;
        if cx.ref_entry(prev).is_none() {
            break;
        }
        let (s, e) = (cx.evs[prev].e, cx.evs[cur].s);
        let g = cx.t[s..e].trim_ascii();
        if g == b"-" || g == b"/" {
            v.push(prev);
            cur = prev;
        } else {
            break;
        }
    }
    v.reverse();
    v
}

/// "between X and Y": the word before the first ref of a pair is "between".
fn between_before(cx: &Ctx, k: usize) -> bool {
    prev_word(cx.t, cx.evs[k].s).is_some_and(|w| w.is(cx.t, "between"))
}

/// A ref starting within `max_words` words after `pos`, in the sentence of event `k`.
fn ref_starting_near(cx: &Ctx, k: usize, pos: usize, max_words: usize) -> Option<usize> {
    let sent = cx.evs[k].sent;
    let j = (k + 1..cx.evs.len()).find(|&j| cx.evs[j].s >= pos)?;
    if cx.evs[j].sent != sent || cx.ref_entry(j).is_none() {
        return None;
    }
    // count words in between
    let mut p = pos;
    let mut n = 0;
    while p < cx.evs[j].s {
        match next_tok(cx.t, p) {
            Some(w) if w.start < cx.evs[j].s => {
                if !w.is_word(cx.t) && !w.is_punct(cx.t, b'\'') {
                    return None;
                }
                n += 1;
                p = w.end;
            }
            _ => break,
        }
    }
    (n <= max_words).then_some(j)
}

/// "Y", "Y and Z", "Y, Z and W" starting near `from`.
fn collect_list(cx: &Ctx, k: usize, from: usize) -> Vec<usize> {
    let mut v = Vec::new();
    let first = ref_starting_near(cx, k, from, 5).or_else(|| {
        // "with seven countries, including Armenia, Azerbaijan and Turkey"
        let mut p = from;
        for _ in 0..6 {
            let w = next_tok(cx.t, p)?;
            if w.is_word(cx.t)
                && w.is_any(cx.t, &["including", "namely", "notably", "like", "incl"])
            {
                return ref_starting_near(cx, k, w.end, 2);
            }
            if !w.is_word(cx.t) && !w.is_punct(cx.t, b',') {
                return None;
            }
            p = w.end;
        }
        None
    });
    let Some(mut j) = first else {
        return v;
    };
    v.push(j);
    while j + 1 < cx.evs.len()
        && cx.evs[j + 1].sent == cx.evs[k].sent
        && cx.ref_entry(j + 1).is_some()
    {
        let g = cx.gap(j, j + 1);
        let ok = g == b","
            || g.eq_ignore_ascii_case(b"and")
            || g.eq_ignore_ascii_case(b", and")
            || g.eq_ignore_ascii_case(b"or");
        if !ok {
            break;
        }
        j += 1;
        v.push(j);
    }
    v
}

/// "between X and (the breakaway region of) Y".
fn between_pair(cx: &Ctx, k: usize, from: usize) -> Option<(usize, usize)> {
    let x = ref_starting_near(cx, k, from, 2)?;
    let sent = cx.evs[k].sent;
    let y = x + 1;
    if y >= cx.evs.len() || cx.evs[y].sent != sent || cx.ref_entry(y).is_none() {
        return None;
    }
    let g = cx.gap(x, y);
    let starts_and = g.len() >= 3
        && g[..3].eq_ignore_ascii_case(b"and")
        && (g.len() == 3 || !g[3].is_ascii_alphanumeric());
    if (starts_and || g == b"-" || g == b"&") && g.len() <= 60 {
        Some((x, y))
    } else {
        None
    }
}

/// The country a "border with Y" phrase starts from: the nearest place/country before the word in
/// its sentence, else the subject (first place/country) of the previous sentence, else the last
/// country named.
fn subject(cx: &Ctx, k: usize, ys: &[u8], st: &State) -> Option<Side> {
    let sent = cx.evs[k].sent;
    let mut j = k;
    let stop = k.saturating_sub(WINDOW);
    while j > stop {
        j -= 1;
        cx.tally(1);
        if cx.evs[j].sent != sent {
            break;
        }
        if let Some((_, form, _)) = cx.ref_entry(j) {
            if form == Form::Demonym {
                continue;
            }
            match cx.side_of(j) {
                Some(Side::Blocked) => return Some(Side::Blocked),
                Some(Side::Country(c)) if !ys.contains(&c) => return Some(Side::Country(c)),
                _ => {}
            }
        }
    }
    st.prev_subject
        .filter(|c| !ys.contains(c))
        .or_else(|| st.last_country.filter(|c| !ys.contains(c)))
        .map(Side::Country)
}
