//! The geoparser: one Aho-Corasick pass over a diacritics-folded copy of the text, then local
//! context rules per match (no regular expressions), then the border rules (see `borders.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::events::{BorderId, BorderMention, EntryInfo, Ev, EvKind, Form};
use super::gazetteer::{GazKind, Gazetteer, COUNTRY_ORDER};
use super::lexicon::lex;
use super::locate::{Inputs, Located, Locator, PlaceNames};
use super::rules::{
    adjective_is_state, capital_is_literal, followed_by_district, is_city_qualified, short_name_ok,
    weak_alias_ok,
};
use super::text::*;
use super::world::World;
use super::{Entity, EntityKind, Mention};

#[derive(Clone, Copy, Debug)]
pub(crate) enum Pat {
    Name {
        entry: u32,
        form: Form,
    },
    Trap,
    /// a trap phrase that shows the text is about the North Caucasus
    NorthTrap,
    UsCue,
    Border,
    ContactLine,
}

/// The border id of a scheme code (`ARM-AZE`).
fn border_id_of(code: &str) -> Option<BorderId> {
    let (a, b) = code.split_once('-')?;
    let idx = |c: &str| COUNTRY_ORDER.iter().position(|x| *x == c).map(|i| i as u8);
    Some(BorderId::Pair(idx(a)?.min(idx(b)?), idx(a)?.max(idx(b)?)))
}

/// The entities of an article and what the open-world pass found.
#[derive(Debug, Clone)]
pub struct OpenAnnotation {
    pub entities: Vec<Entity>,
    pub located: Located,
}

/// The article geoparser. Build once per gazetteer (building takes a few milliseconds), then
/// call [`Geoparser::annotate`] from any number of threads.
pub struct Geoparser {
    ac: AhoCorasick,
    /// the open-world pass, built on first use
    locator: OnceLock<Locator>,
    /// per gazetteer entry: a place's names and country (for the open-world pass)
    places: Vec<Option<PlaceNames>>,
    pats: Vec<Pat>,
    pub(crate) entries: Vec<EntryInfo>,
    karabakh: Option<u32>,
    georgia: Option<u32>,
    lachin_corridor: Option<u32>,
}

fn variants(s: &str) -> Vec<String> {
    let f = fold_str(s);
    let mut v = vec![f.clone()];
    if f.contains('-') {
        v.push(f.replace('-', " "));
    }
    if f.contains(' ') {
        v.push(f.replace(' ', "-"));
    }
    v
}

/// Per-entry data of a gazetteer, its references resolved to indices.
fn entry_infos(g: &Gazetteer) -> Vec<EntryInfo> {
    let idx = |id: &Option<String>| id.as_ref().and_then(|i| g.index_of(i)).map(|i| i as u32);
    let country_idx = |id: Option<&str>| {
        id.and_then(|c| COUNTRY_ORDER.iter().position(|x| *x == c))
            .map(|i| i as u8)
    };
    g.entries()
        .iter()
        .map(|e| EntryInfo {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            emit: e.emit && !matches!(e.kind, GazKind::Mask | GazKind::Leader),
            country: if e.kind == GazKind::Country {
                country_idx(Some(&e.id))
            } else {
                None
            },
            bc: country_idx(e.border_country()),
            breakaway: e.breakaway,
            coref_block: e.coref_block,
            capital_of: idx(&e.capital_of),
            city: idx(&e.city),
            district: e.district,
            metonym_only: e.metonym_only,
            short: e.name.len() <= 4,
            country_entry: idx(&e.country),
            north_caucasus: e.north_caucasus,
        })
        .collect()
}

const BORDER_WORDS: [&str; 8] = [
    "border",
    "borders",
    "bordering",
    "bordered",
    "frontier",
    "frontiers",
    "boundary",
    "boundaries",
];

const CONTACT_LINE_WORDS: [&str; 5] = [
    "line of contact",
    "contact line",
    "line-of-contact",
    "contact-line",
    "lines of contact",
];

/// The strings of the Aho-Corasick pass and what each one stands for (same index).
#[derive(Default)]
struct PatternSet {
    pats: Vec<Pat>,
    strings: Vec<String>,
    /// lower-cased strings already added: the first one added wins
    seen: HashMap<String, usize>,
}

impl PatternSet {
    fn of(g: &Gazetteer) -> PatternSet {
        let mut ps = PatternSet::default();
        // traps first: on equal strings they win
        for t in &g.context().traps {
            let l = t.to_ascii_lowercase();
            let north = l.contains("north") && l.contains("cauca");
            ps.add(t, if north { Pat::NorthTrap } else { Pat::Trap });
        }
        // names and aliases of every entry before any adjective, demonym or weak alias
        for (i, e) in g.entries().iter().enumerate() {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                ps.add_name(n, i, Form::Name);
            }
        }
        for (i, e) in g.entries().iter().enumerate() {
            for (forms, form) in [
                (&e.adjectives, Form::Adjective),
                (&e.demonyms, Form::Demonym),
                (&e.weak_aliases, Form::Weak),
            ] {
                for a in forms {
                    ps.add_name(a, i, form);
                }
            }
        }
        for c in &g.context().us_state_cues {
            ps.add(c, Pat::UsCue);
        }
        for w in BORDER_WORDS {
            ps.add(w, Pat::Border);
        }
        for w in CONTACT_LINE_WORDS {
            ps.add(w, Pat::ContactLine);
        }
        ps
    }

    fn add_name(&mut self, s: &str, entry: usize, form: Form) {
        let entry = entry as u32;
        self.add(s, Pat::Name { entry, form });
    }

    fn add(&mut self, s: &str, p: Pat) {
        for v in variants(s) {
            let key = v.to_ascii_lowercase();
            if key.trim().is_empty() || self.seen.contains_key(&key) {
                continue;
            }
            self.seen.insert(key, self.pats.len());
            self.pats.push(p);
            self.strings.push(v);
        }
    }
}

/// A leftmost-longest, ASCII-case-insensitive automaton (a DFA when it fits).
fn build_automaton(strings: &[String]) -> AhoCorasick {
    let builder = || {
        let mut b = AhoCorasick::builder();
        b.match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both);
        b
    };
    builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(strings)
        .or_else(|_| builder().build(strings))
        .expect("gazetteer patterns build")
}

impl Geoparser {
    /// Builds a parser for a gazetteer.
    pub fn new(g: &Gazetteer) -> Self {
        let entries = entry_infos(g);
        let patterns = PatternSet::of(g);
        let ac = build_automaton(&patterns.strings);
        let at = |id: &str| g.index_of(id).map(|i| i as u32);
        Geoparser {
            ac,
            locator: OnceLock::new(),
            places: g.entries().iter().map(PlaceNames::of).collect(),
            pats: patterns.pats,
            entries,
            karabakh: at("nagorno-karabakh"),
            georgia: at("GEO"),
            lachin_corridor: at("lachin-corridor"),
        }
    }

    /// A parser over the embedded gazetteer, built once.
    pub fn embedded() -> &'static Geoparser {
        static P: OnceLock<Geoparser> = OnceLock::new();
        P.get_or_init(|| Geoparser::new(Gazetteer::embedded()))
    }

    /// Finds the countries, regions, borders and places a text mentions. Mentions carry byte
    /// offsets into `text` and the index of their sentence. Entities come in order of first mention.
    pub fn annotate(&self, text: &str) -> Vec<Entity> {
        self.annotate_counting(text).0
    }

    /// How many events the border rules' sentence-level scans visit for `text`: a deterministic
    /// measure of their work, for tests that check it grows linearly with the text.
    #[doc(hidden)]
    pub fn border_rule_work(&self, text: &str) -> u64 {
        self.annotate_counting(text).1
    }

    fn annotate_counting(&self, text: &str) -> (Vec<Entity>, u64) {
        let folded = Folded::new(text);
        let (entities, _, work) = self.entities(text, &folded);
        (entities, work)
    }

    /// The entities of [`Geoparser::annotate`] and the open-world findings: every settlement
    /// (GeoNames), crossing and district the text names, and where it places each border.
    pub fn annotate_open(&self, text: &str) -> OpenAnnotation {
        let folded = Folded::new(text);
        let (entities, evs, _) = self.entities(text, &folded);
        let locator = self
            .locator
            .get_or_init(|| Locator::new(World::embedded(), &self.places));
        let located = locator.locate(
            World::embedded(),
            &Inputs {
                t: folded.bytes(),
                folded: &folded,
                evs: &evs,
                entries: &self.entries,
                entities: &entities,
            },
        );
        let mut entities = entities;
        for b in &located.inferred_borders {
            let Some(id) = border_id_of(&b.border) else {
                continue;
            };
            let (id, name) = self.border_id_name(id);
            entities.push(Entity {
                id,
                kind: EntityKind::Border,
                name,
                mentions: vec![Mention {
                    start: b.start,
                    end: b.end,
                    text: text[b.start..b.end].to_string(),
                    sentence: b.sentence,
                }],
            });
        }
        OpenAnnotation { entities, located }
    }

    /// The geoparser's pass: entities, the events they came from, and the border rules' work.
    fn entities(&self, text: &str, folded: &Folded) -> (Vec<Entity>, Vec<Ev>, u64) {
        let t = folded.bytes();
        let mut evs = self.scan(t);
        self.filter_us_georgia(t, &mut evs);
        self.filter_north_caucasus(&mut evs);
        self.describe_lachin_corridor(t, &mut evs);
        let (borders, work) = super::borders::resolve(&self.entries, t, &evs, self.karabakh);
        (self.collect(text, folded, &evs, &borders), evs, work)
    }

    /// The AC pass plus per-match context rules.
    fn scan(&self, t: &[u8]) -> Vec<Ev> {
        let mut evs: Vec<Ev> = Vec::with_capacity(t.len() / 128 + 16);
        let mut cur = SentenceCursor::new();
        for m in self.ac.find_iter(t) {
            let (s, mut e) = (m.start(), m.end());
            let mut pid = m.pattern().as_usize();
            // word boundaries
            if s > 0 && is_word_byte(t[s - 1]) {
                continue;
            }
            if e < t.len() && is_word_byte(t[e]) {
                // the longest pattern runs into a word ("Black Sea coastline"): try the shorter
                // patterns starting at the same place ("Black Sea")
                match self.shorter_match(t, s, e) {
                    Some((e2, p2)) => {
                        e = e2;
                        pid = p2;
                    }
                    None => continue,
                }
            }
            let pat = self.pats[pid];
            let kind = match pat {
                Pat::Trap => continue,
                Pat::NorthTrap => EvKind::NorthCue,
                Pat::UsCue => EvKind::UsCue,
                Pat::Border => EvKind::Border,
                Pat::ContactLine => EvKind::ContactLine,
                Pat::Name { entry, form } => {
                    if !t[s].is_ascii_uppercase() {
                        continue;
                    }
                    let target = self.classify(t, s, e, entry, form);
                    if target.is_none() && form == Form::Weak {
                        continue;
                    }
                    EvKind::Ref {
                        entry,
                        form,
                        target,
                    }
                }
            };
            let sent = cur.advance(t, s);
            evs.push(Ev { s, e, sent, kind });
        }
        evs
    }

    /// The longest pattern starting at `s`, ending before `e` and on a word boundary.
    fn shorter_match(&self, t: &[u8], s: usize, mut e: usize) -> Option<(usize, usize)> {
        while e > s + 1 {
            let input = Input::new(t).span(s..e - 1).anchored(Anchored::Yes);
            let m = self.ac.try_find(input).ok()??;
            if m.end() >= t.len() || !is_word_byte(t[m.end()]) {
                return Some((m.end(), m.pattern().as_usize()));
            }
            e = m.end();
        }
        None
    }

    /// Decides what a name match refers to.
    fn classify(&self, t: &[u8], s: usize, e: usize, entry: u32, form: Form) -> Option<u32> {
        let info = &self.entries[entry as usize];
        match form {
            Form::Demonym => None,
            Form::Adjective => {
                // "South Caucasian states", "Abkhaz authorities": region adjectives also before region nouns
                let region_noun = info.kind == GazKind::Region
                    && next_word(t, e).is_some_and(|w| w.is_any(t, &lex().region_nouns));
                if region_noun || adjective_is_state(t, s, e) {
                    Some(entry)
                } else {
                    None
                }
            }
            Form::Weak => {
                if weak_alias_ok(t, s, e) {
                    Some(entry)
                } else {
                    None
                }
            }
            Form::Name => match info.kind {
                GazKind::Mask => None,
                GazKind::Leader => {
                    // "Putin said", "Pashinyan's government": the state (not "the Heydar Aliyev Center")
                    let country = info.country_entry?;
                    if next_word(t, e).is_some_and(|w| w.is_capitalized(t)) {
                        return None;
                    }
                    Some(country)
                }
                GazKind::Country => Some(entry),
                GazKind::Region => {
                    if let Some(city) = info.city {
                        if is_city_qualified(t, s, e) {
                            return Some(city);
                        }
                    }
                    Some(entry)
                }
                GazKind::Place => {
                    if info.metonym_only {
                        return info.capital_of;
                    }
                    if info.short && !short_name_ok(t, s, e) {
                        return None;
                    }
                    if info.district && followed_by_district(t, e) {
                        return None;
                    }
                    if let Some(cap) = info.capital_of {
                        if !capital_is_literal(t, s, e) {
                            return Some(cap);
                        }
                    }
                    Some(entry)
                }
            },
        }
    }

    /// Descriptive references to the Lachin corridor: "the only road connecting Armenia with
    /// Nagorno-Karabakh", "a land link between Karabakh and Armenia". Adds a mention on the noun.
    fn describe_lachin_corridor(&self, t: &[u8], evs: &mut Vec<Ev>) {
        let (Some(corridor), Some(kb)) = (self.lachin_corridor, self.karabakh) else {
            return;
        };
        let Some(arm) = self
            .entries
            .iter()
            .position(|e| e.country == Some(0))
            .map(|i| i as u32)
        else {
            return;
        };
        let target = |ev: &Ev| match ev.kind {
            EvKind::Ref { target, .. } => target,
            _ => None,
        };
        let mut add: Vec<Ev> = Vec::new();
        for j in 1..evs.len() {
            let (a, b) = (evs[j - 1], evs[j]);
            if a.sent != b.sent {
                continue;
            }
            let (ta, tb) = (target(&a), target(&b));
            let pair = (ta == Some(arm) && tb == Some(kb)) || (ta == Some(kb) && tb == Some(arm));
            if !pair {
                continue;
            }
            let mut g0 = a.e;
            if let Some(p) = skip_possessive(t, g0) {
                g0 = p.min(b.s);
            }
            let gap = t[g0..b.s].trim_ascii();
            if !(gap.eq_ignore_ascii_case(b"and")
                || gap.eq_ignore_ascii_case(b"with")
                || gap.eq_ignore_ascii_case(b"to"))
            {
                continue;
            }
            // "<road noun> [...] connecting|linking|between <a> and <b>"
            let mut p = a.s;
            let mut verb = false;
            for _ in 0..3 {
                match prev_word(t, p) {
                    Some(w)
                        if w.is_any(
                            t,
                            &[
                                "connecting",
                                "linking",
                                "connects",
                                "links",
                                "connected",
                                "linked",
                                "between",
                                "joining",
                                "joins",
                                "that",
                                "which",
                                "from",
                            ],
                        ) =>
                    {
                        verb |= !w.is_any(t, &["that", "which"]);
                        p = w.start;
                    }
                    _ => break,
                }
            }
            if !verb {
                continue;
            }
            for _ in 0..5 {
                match prev_tok(t, p) {
                    Some(w) if w.is_word(t) => {
                        if w.is_any(
                            t,
                            &[
                                "road",
                                "route",
                                "corridor",
                                "highway",
                                "link",
                                "lifeline",
                                "artery",
                                "passage",
                                "connection",
                                "roadway",
                            ],
                        ) {
                            add.push(Ev {
                                s: w.start,
                                e: w.end,
                                sent: a.sent,
                                kind: EvKind::Ref {
                                    entry: corridor,
                                    form: Form::Name,
                                    target: Some(corridor),
                                },
                            });
                            break;
                        }
                        p = w.start;
                    }
                    _ => break,
                }
            }
        }
        if !add.is_empty() {
            evs.extend(add);
            evs.sort_by_key(|e| e.s);
        }
    }

    /// In a text about the North Caucasus (Dagestan, Chechnya, "North Caucasus"), a bare
    /// "the Caucasus" is not the South Caucasus.
    fn filter_north_caucasus(&self, evs: &mut [Ev]) {
        let north = evs.iter().any(|e| match e.kind {
            EvKind::NorthCue => true,
            EvKind::Ref { entry, .. } => self.entries[entry as usize].north_caucasus,
            _ => false,
        });
        if !north {
            return;
        }
        for ev in evs.iter_mut() {
            if let EvKind::Ref {
                form: Form::Weak,
                target,
                entry,
            } = &mut ev.kind
            {
                if self.entries[*entry as usize].id == "south-caucasus" {
                    *target = None;
                }
            }
        }
    }

    /// "Georgia" in a U.S.-state context is not the country.
    fn filter_us_georgia(&self, t: &[u8], evs: &mut [Ev]) {
        let Some(geo) = self.georgia else { return };
        if !evs.iter().any(|e| matches!(e.kind, EvKind::UsCue)) {
            return;
        }
        // "California and Georgia", "Georgia, Alabama": coordinated with a U.S. state
        for k in 0..evs.len() {
            if !matches!(evs[k].kind, EvKind::Ref { entry, form: Form::Name, .. } if entry == geo) {
                continue;
            }
            let near_cue = |j: usize| {
                let (a, b) = if j < k { (j, k) } else { (k, j) };
                matches!(evs[j].kind, EvKind::UsCue) && {
                    let g = t[evs[a].e..evs[b].s].trim_ascii();
                    g == b","
                        || g.eq_ignore_ascii_case(b"and")
                        || g.eq_ignore_ascii_case(b"or")
                        || g.eq_ignore_ascii_case(b", and")
                }
            };
            if (k > 0 && near_cue(k - 1)) || (k + 1 < evs.len() && near_cue(k + 1)) {
                if let EvKind::Ref { target, .. } = &mut evs[k].kind {
                    *target = None;
                }
            }
        }
        let is_geo = |e: &Ev| matches!(e.kind, EvKind::Ref { target: Some(x), .. } if x == geo);
        let is_other = |e: &Ev| matches!(e.kind, EvKind::Ref { target: Some(x), entry, .. } if x != geo && entry != geo && self.entries[x as usize].kind != GazKind::Mask);
        let caucasus = evs.iter().filter(|e| is_other(e)).count();
        let us = evs
            .iter()
            .filter(|e| matches!(e.kind, EvKind::UsCue))
            .count();
        let doc_has_caucasus = caucasus > 0;
        if caucasus >= us {
            // a text about the South Caucasus: only the trap phrases ("Atlanta, Georgia") are the state
            return;
        }
        // sentences with a U.S. cue / with South Caucasus context
        let mut us_sents: Vec<usize> = evs
            .iter()
            .filter(|e| matches!(e.kind, EvKind::UsCue))
            .map(|e| e.sent)
            .collect();
        us_sents.dedup();
        let mut cauc_sents: Vec<usize> =
            evs.iter().filter(|e| is_other(e)).map(|e| e.sent).collect();
        cauc_sents.dedup();
        for ev in evs.iter_mut() {
            if !is_geo(ev) {
                continue;
            }
            let drop = !doc_has_caucasus
                || (us_sents.binary_search(&ev.sent).is_ok()
                    && cauc_sents.binary_search(&ev.sent).is_err());
            if drop {
                if let EvKind::Ref { target, .. } = &mut ev.kind {
                    *target = None;
                }
            }
        }
    }

    fn collect(
        &self,
        orig: &str,
        f: &Folded,
        evs: &[Ev],
        borders: &[BorderMention],
    ) -> Vec<Entity> {
        let mut out: Vec<Entity> = Vec::new();
        // slot per gazetteer entry, then one per border id
        let mut slot: Vec<usize> = vec![usize::MAX; self.entries.len()];
        let mut border_slot: Vec<(BorderId, usize)> = Vec::new();
        let mut push_ref = |x: usize, m: Mention, out: &mut Vec<Entity>| {
            if slot[x] == usize::MAX {
                let info = &self.entries[x];
                let kind = match info.kind {
                    GazKind::Country => EntityKind::Country,
                    GazKind::Region => EntityKind::Region,
                    _ => EntityKind::Place,
                };
                out.push(Entity {
                    id: info.id.clone(),
                    kind,
                    name: info.name.clone(),
                    mentions: Vec::new(),
                });
                slot[x] = out.len() - 1;
            }
            out[slot[x]].mentions.push(m);
        };
        let mut push_border = |b: BorderId, m: Mention, out: &mut Vec<Entity>| {
            let i = match border_slot.iter().find(|(x, _)| *x == b) {
                Some(&(_, i)) => i,
                None => {
                    let (id, name) = self.border_id_name(b);
                    out.push(Entity {
                        id,
                        kind: EntityKind::Border,
                        name,
                        mentions: Vec::new(),
                    });
                    border_slot.push((b, out.len() - 1));
                    out.len() - 1
                }
            };
            out[i].mentions.push(m);
        };
        let mention = |s: usize, e: usize, sent: usize| {
            let (os, oe) = (f.orig(s), f.orig(e));
            Mention {
                start: os,
                end: oe,
                text: orig[os..oe].to_string(),
                sentence: sent,
            }
        };
        // merge entity refs and borders in text order
        let mut bi = 0;
        for ev in evs {
            while bi < borders.len() && borders[bi].start <= ev.s {
                let b = borders[bi];
                push_border(b.border, mention(b.start, b.end, b.sentence), &mut out);
                bi += 1;
            }
            if let EvKind::Ref {
                target: Some(x), ..
            } = ev.kind
            {
                let info = &self.entries[x as usize];
                if !info.emit || info.kind == GazKind::Mask {
                    continue;
                }
                push_ref(x as usize, mention(ev.s, ev.e, ev.sent), &mut out);
            }
        }
        while bi < borders.len() {
            let b = borders[bi];
            push_border(b.border, mention(b.start, b.end, b.sentence), &mut out);
            bi += 1;
        }
        out
    }

    fn border_id_name(&self, b: BorderId) -> (String, String) {
        match b {
            BorderId::KarabakhLine => (
                super::gazetteer::KARABAKH_LINE.to_string(),
                "Nagorno-Karabakh line of contact".to_string(),
            ),
            BorderId::Pair(a, c) => {
                let (ia, ic) = (COUNTRY_ORDER[a as usize], COUNTRY_ORDER[c as usize]);
                let (x, y) = if ia <= ic { (ia, ic) } else { (ic, ia) };
                let nm = |code: &str| {
                    self.entries
                        .iter()
                        .find(|e| e.id == code)
                        .map(|e| e.name.clone())
                        .unwrap_or_else(|| code.to_string())
                };
                (
                    format!("{x}-{y}"),
                    format!("{}\u{2013}{} border", nm(x), nm(y)),
                )
            }
        }
    }
}
