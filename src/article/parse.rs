//! The geoparser: one Aho-Corasick pass over a diacritics-folded copy of the text, then local
//! context rules per match (no regular expressions), then the border rules (see `borders.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::events::{BorderId, BorderMention, EntryInfo, Ev, EvKind, Form};
use super::gazetteer::{GazKind, Gazetteer, COUNTRY_ORDER};
use super::lexicon::lex;
use super::text::*;
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

/// The article geoparser. Build once per gazetteer (building takes a few milliseconds), then
/// call [`Geoparser::annotate`] from any number of threads.
pub struct Geoparser {
    ac: AhoCorasick,
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

impl Geoparser {
    /// Builds a parser for a gazetteer.
    pub fn new(g: &Gazetteer) -> Self {
        let ents = g.entries();
        let idx = |id: &Option<String>| id.as_ref().and_then(|i| g.index_of(i)).map(|i| i as u32);
        let country_idx = |id: Option<&str>| {
            id.and_then(|c| COUNTRY_ORDER.iter().position(|x| *x == c))
                .map(|i| i as u8)
        };
        let entries: Vec<EntryInfo> = ents
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
            .collect();

        let mut pats: Vec<Pat> = Vec::new();
        let mut strings: Vec<String> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut add = |s: &str, p: Pat, pats: &mut Vec<Pat>, strings: &mut Vec<String>| {
            for v in variants(s) {
                let key = v.to_ascii_lowercase();
                if key.trim().is_empty() || seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, pats.len());
                pats.push(p);
                strings.push(v);
            }
        };
        // traps first: on equal strings they win
        for t in &g.context().traps {
            let l = t.to_ascii_lowercase();
            let north = l.contains("north") && l.contains("cauca");
            add(
                t,
                if north { Pat::NorthTrap } else { Pat::Trap },
                &mut pats,
                &mut strings,
            );
        }
        for (i, e) in ents.iter().enumerate() {
            let i = i as u32;
            add(
                &e.name,
                Pat::Name {
                    entry: i,
                    form: Form::Name,
                },
                &mut pats,
                &mut strings,
            );
            for a in &e.aliases {
                add(
                    a,
                    Pat::Name {
                        entry: i,
                        form: Form::Name,
                    },
                    &mut pats,
                    &mut strings,
                );
            }
        }
        for (i, e) in ents.iter().enumerate() {
            let i = i as u32;
            for a in &e.adjectives {
                add(
                    a,
                    Pat::Name {
                        entry: i,
                        form: Form::Adjective,
                    },
                    &mut pats,
                    &mut strings,
                );
            }
            for a in &e.demonyms {
                add(
                    a,
                    Pat::Name {
                        entry: i,
                        form: Form::Demonym,
                    },
                    &mut pats,
                    &mut strings,
                );
            }
            for a in &e.weak_aliases {
                add(
                    a,
                    Pat::Name {
                        entry: i,
                        form: Form::Weak,
                    },
                    &mut pats,
                    &mut strings,
                );
            }
        }
        for c in &g.context().us_state_cues {
            add(c, Pat::UsCue, &mut pats, &mut strings);
        }
        for w in [
            "border",
            "borders",
            "bordering",
            "bordered",
            "frontier",
            "frontiers",
            "boundary",
            "boundaries",
        ] {
            add(w, Pat::Border, &mut pats, &mut strings);
        }
        for w in [
            "line of contact",
            "contact line",
            "line-of-contact",
            "contact-line",
            "lines of contact",
        ] {
            add(w, Pat::ContactLine, &mut pats, &mut strings);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&strings)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .start_kind(StartKind::Both)
                    .build(&strings)
            })
            .expect("gazetteer patterns build");
        let karabakh = g.index_of("nagorno-karabakh").map(|i| i as u32);
        let georgia = g.index_of("GEO").map(|i| i as u32);
        let lachin_corridor = g.index_of("lachin-corridor").map(|i| i as u32);
        Geoparser {
            ac,
            pats,
            entries,
            karabakh,
            georgia,
            lachin_corridor,
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
        let folded = Folded::new(text);
        let t = folded.bytes();
        let mut evs = self.scan(t);
        self.filter_us_georgia(t, &mut evs);
        self.filter_north_caucasus(&mut evs);
        self.describe_lachin_corridor(t, &mut evs);
        let borders = super::borders::resolve(&self.entries, t, &evs, self.karabakh);
        self.collect(text, &folded, &evs, &borders)
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

// ------------------------------------------------------------------------------ context rules

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
fn weak_alias_ok(t: &[u8], s: usize, e: usize) -> bool {
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
fn is_city_qualified(t: &[u8], s: usize, e: usize) -> bool {
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
fn short_name_ok(t: &[u8], s: usize, e: usize) -> bool {
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
fn followed_by_district(t: &[u8], e: usize) -> bool {
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

/// A capital used as a place (true) or for its government (false).
pub(crate) fn capital_is_literal(t: &[u8], s: usize, e: usize) -> bool {
    // datelines: "YEREVAN —", "Baku, Sept 5 (Reuters) -", "Tehran, Oct 17, (dpa) –"
    if at_line_start(t, s) {
        if t[s..e].iter().all(|b| !b.is_ascii_lowercase()) && e - s > 2 {
            return true;
        }
        if let Some(n) = next_tok(t, e) {
            if n.is_punct(t, b'-') || n.is_punct(t, b'(') {
                return true;
            }
            if n.is_punct(t, b',') {
                if let Some(m) = next_word(t, n.end) {
                    if m.is_any(t, super::document::MONTHS) || t[m.start].is_ascii_digit() {
                        return true;
                    }
                }
            }
        }
    }
    // route/relation compounds: "Baku-Tbilisi-Ceyhan pipeline" (literal), "Baku-Yerevan talks" (metonym)
    let dash_after = e < t.len() && t[e] == b'-' && e + 1 < t.len() && is_word_byte(t[e + 1]);
    let dash_before = s >= 2 && t[s - 1] == b'-' && is_word_byte(t[s - 2]);
    if dash_after || dash_before {
        let mut p = e;
        while p < t.len() && t[p] == b'-' {
            match next_tok(t, p + 1) {
                Some(n) if n.start == p + 1 && n.is_word(t) => p = n.end,
                _ => break,
            }
        }
        return !head_is(t, p, |w| w.is_any(t, &lex().relation_nouns));
    }
    // look back over a coordination: "Ankara and Yerevan", "Baku, Tbilisi and Ankara"
    let mut p = s;
    for _ in 0..3 {
        match prev_tok(t, p) {
            Some(c) if (c.is_word(t) && c.is_any(t, &["and", "or"])) || c.is_punct(t, b',') => {
                match prev_tok(t, c.start) {
                    Some(w) if w.is_word(t) && w.is_capitalized(t) => p = w.start,
                    _ => break,
                }
            }
            _ => break,
        }
    }
    if let Some(pw) = prev_word(t, p) {
        let ppw = prev_word(t, pw.start);
        if pw.is(t, "from") || pw.is(t, "to") {
            return !ppw.is_some_and(|w| {
                w.is_any(t, &lex().comm_nouns) || w.is_any(t, &lex().metonym_object_verbs)
            });
        }
        if pw.is(t, "with") {
            if ppw.is_some_and(|w| w.is_any(t, &lex().with_nouns)) {
                return false;
            }
        } else if pw.is(t, "between") {
            return ppw.is_some_and(|w| w.is_any(t, &lex().travel_nouns));
        } else if pw.is(t, "on") {
            if ppw.is_some_and(|w| {
                w.is_any(
                    t,
                    &[
                        "pressure",
                        "called",
                        "calls",
                        "call",
                        "sanctions",
                        "pressing",
                        "leaning",
                    ],
                )
            }) {
                return false;
            }
        } else if pw.is_any(t, &lex().metonym_object_verbs) {
            return false;
        } else if pw.is_any(t, &lex().literal_preps) {
            return true;
        }
    }
    // possessive: "Baku's streets" (literal) vs "Baku's position" (metonym)
    if let Some(pe) = skip_possessive(t, e) {
        // "Tbilisi's Rustaveli Avenue" (a landmark) and "Baku's streets" are the city
        return next_word(t, pe)
            .is_some_and(|w| w.is_capitalized(t) || w.is_any(t, &lex().city_nouns));
    }
    // "the Baku government", "the Tehran regime"
    if next_word(t, e).is_some_and(|w| {
        w.is_any(
            t,
            &[
                "government",
                "regime",
                "authorities",
                "leadership",
                "administration",
                "officials",
                "establishment",
            ],
        )
    }) {
        return false;
    }
    // forward coordination, then the verb: "Baku and Yerevan have agreed"
    let mut q = e;
    for _ in 0..3 {
        match next_tok(t, q) {
            Some(c) if (c.is_word(t) && c.is_any(t, &["and", "or"])) || c.is_punct(t, b',') => {
                match next_word(t, c.end) {
                    Some(w) if w.is_capitalized(t) => q = w.end,
                    _ => break,
                }
            }
            _ => break,
        }
    }
    if let Some(nw) = next_word(t, q) {
        // "Moscow held talks with ...", "Baku began negotiations"
        if nw.is_any(
            t,
            &[
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
            ],
        ) && next_word(t, nw.end).is_some_and(|w| w.is_any(t, &lex().with_nouns))
        {
            return false;
        }
        let subject = subject_position(t, s);
        if nw.is_any(t, &lex().aux_words) {
            // "Baku has long insisted", "Yerevan is ready to", "Moscow has deployed"
            let mut r = nw.end;
            for _ in 0..3 {
                let Some(w) = next_word(t, r) else { break };
                if w.is_any(t, &lex().adverb_skip) {
                    r = w.end;
                    continue;
                }
                if (w.is_any(t, &lex().metonym_verbs) && !w.is_any(t, &lex().aux_words))
                    || w.is_any(t, &lex().metonym_predicates)
                    || (subject && looks_like_verb(t, &w) && !w.is_any(t, &lex().literal_verbs))
                {
                    return false;
                }
                break;
            }
        } else if nw.is_any(t, &lex().metonym_verbs) {
            return false;
        } else if subject && looks_like_verb(t, &nw) && !nw.is_any(t, &lex().literal_verbs) {
            // a capital as the subject of an action verb: "Baku deployed", "Tehran summons"
            return false;
        }
    }
    true
}
