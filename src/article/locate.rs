//! Open-world locating: the settlements (GeoNames), border crossings and districts an article
//! names, and for each border it mentions, the settlements it places that border at
//! (`border_near`) and the stretch of the border the map should draw strongly.
//!
//! Runs after the geoparser's own pass, over the same folded text: one more Aho-Corasick pass
//! over every settlement name and alternate name, crossing name and district name. A settlement
//! name inside a gazetteer match is left to the gazetteer (its literal places map to their
//! GeoNames ids); names that are also common words, people or mountains need a settlement cue.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use serde::Serialize;

use super::events::{EntryInfo, Ev, EvKind};
use super::gazetteer::{GazKind, GazetteerEntry, COUNTRY_ORDER};
use super::lexicon::lex;
use super::text::*;
use super::world::World;
use super::{Entity, EntityKind};

/// How far (km) from a settlement or crossing the map draws its border strongly.
pub const STRETCH_RADIUS_KM: f64 = 25.0;

/// How near (km) a settlement must lie to a border for the text to place the border at it.
pub const LOCALISE_KM: f32 = 12.0;

/// The three countries whose every settlement is in scope; the neighbours' need a cue unless big.
const CORE: [&str; 3] = ["ARM", "AZE", "GEO"];

/// Words before a name that make it a place ("in Tegh", "near Sotk", "village of Kut").
const PLACE_PREPS: [&str; 14] = [
    "in", "near", "at", "outside", "around", "from", "to", "into", "towards", "toward", "via",
    "village", "town", "villages",
];
/// Nouns before "of" that make the next name a place ("the village of Kut").
const PLACE_OF_NOUNS: [&str; 12] = [
    "village",
    "villages",
    "town",
    "towns",
    "city",
    "settlement",
    "settlements",
    "community",
    "communities",
    "outskirts",
    "residents",
    "mayor",
];
/// Words after a name that make it a place ("Tegh village", "the Margara checkpoint").
const PLACE_AFTER: [&str; 10] = [
    "village",
    "town",
    "checkpoint",
    "crossing",
    "settlement",
    "community",
    "villagers",
    "residents",
    "outskirts",
    "border",
];
/// Capitalised words before a name that do not make it part of a longer name.
const FUNCTION_CAPS: [&str; 16] = [
    "the", "a", "an", "in", "near", "at", "on", "from", "to", "of", "and", "but", "for", "by",
    "with", "outside",
];

/// How a string names a settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameKind {
    /// its GeoNames name
    Primary,
    /// an alternate name (often another language's): needs the country named in the text
    Alternate,
    /// an alternate name that is also something else: needs a settlement cue
    AmbiguousAlternate,
}

/// What one string of the locator's pass may name.
#[derive(Default)]
struct Key {
    /// world settlement indices, and how this string names each
    settlements: Vec<(u32, NameKind)>,
    /// district index, and whether the name alone means it
    district: Option<(u32, bool)>,
    crossing: Option<u32>,
}

/// The names and country of a gazetteer place, for finding its GeoNames settlement.
#[derive(Debug, Clone)]
pub(crate) struct PlaceNames {
    names: Vec<String>,
    country: String,
}

impl PlaceNames {
    pub(crate) fn of(e: &GazetteerEntry) -> Option<PlaceNames> {
        if e.kind != GazKind::Place {
            return None;
        }
        Some(PlaceNames {
            names: std::iter::once(&e.name)
                .chain(&e.aliases)
                .cloned()
                .collect(),
            country: e.country.clone()?,
        })
    }
}

/// The open-world pass, built on first use (its automaton takes tens of milliseconds).
pub(crate) struct Locator {
    ac: AhoCorasick,
    keys: Vec<Key>,
    /// gazetteer entry index -> world settlement index, for the gazetteer's places
    gaz_settlement: Vec<Option<u32>>,
}

fn key_variants(s: &str) -> Vec<String> {
    let f = fold_str(s).to_ascii_lowercase();
    let mut v = vec![f.clone()];
    if f.contains('-') {
        v.push(f.replace('-', " "));
    }
    v
}

impl Locator {
    pub(crate) fn new(world: &World, places: &[Option<PlaceNames>]) -> Locator {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut key = |s: &str, keys: &mut Vec<Key>| -> Vec<usize> {
            key_variants(s)
                .into_iter()
                .filter(|k| k.len() >= 3)
                .map(|k| {
                    *index.entry(k).or_insert_with(|| {
                        keys.push(Key::default());
                        keys.len() - 1
                    })
                })
                .collect()
        };
        for (i, c) in world.crossings().iter().enumerate() {
            for n in &c.names {
                for k in key(n, &mut keys) {
                    keys[k].crossing = Some(i as u32);
                }
            }
        }
        for (i, d) in world.districts().iter().enumerate() {
            for n in &d.names {
                let bare = d.bare.contains(n);
                for k in key(n, &mut keys) {
                    keys[k].district = Some((i as u32, bare));
                }
            }
        }
        for (i, s) in world.settlements().iter().enumerate() {
            let alternates = s.alternate_names.iter().map(|a| {
                let kind = if a.ambiguous {
                    NameKind::AmbiguousAlternate
                } else {
                    NameKind::Alternate
                };
                (&a.name, kind)
            });
            for (n, kind) in std::iter::once((&s.name, NameKind::Primary)).chain(alternates) {
                for k in key(n, &mut keys) {
                    if !keys[k].settlements.iter().any(|&(x, _)| x == i as u32) {
                        keys[k].settlements.push((i as u32, kind));
                    }
                }
            }
        }
        let mut strings: Vec<String> = vec![String::new(); keys.len()];
        for (k, &i) in &index {
            strings[i] = k.clone();
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&strings)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .start_kind(StartKind::Anchored)
                    .build(&strings)
            })
            .expect("settlement patterns build");
        let gaz_settlement = places
            .iter()
            .map(|p| {
                p.as_ref()
                    .and_then(|p| gazetteer_settlement(world, &index, &keys, p))
            })
            .collect();
        Locator {
            ac,
            keys,
            gaz_settlement,
        }
    }
}

/// The GeoNames settlement of a gazetteer place: same name (or alias) and country, the most
/// populous.
fn gazetteer_settlement(
    world: &World,
    index: &HashMap<String, usize>,
    keys: &[Key],
    p: &PlaceNames,
) -> Option<u32> {
    let code = p.country.as_str();
    let mut best: Option<u32> = None;
    for name in &p.names {
        let folded = fold_str(name).to_ascii_lowercase().replace('-', " ");
        // "Nakhchivan City" is the city of Nakhchivan
        let bare = folded.strip_suffix(" city").unwrap_or(&folded);
        let Some(&k) = index.get(bare) else {
            continue;
        };
        for &(i, _) in &keys[k].settlements {
            let s = &world.settlements()[i as usize];
            let better =
                best.is_none_or(|b| world.settlements()[b as usize].population < s.population);
            if s.country == code && better {
                best = Some(i);
            }
        }
    }
    best
}

/// How a settlement was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "id")]
pub enum Via {
    /// its own name or an alternate name
    Name,
    /// a place of the gazetteer (`stepanakert`)
    Gazetteer(String),
    /// a crossing named after it (`sadakhlo-bagratashen`)
    Crossing(String),
}

/// A settlement the text mentions as a place. Offsets refer to the annotated text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettlementMention {
    /// GeoNames id
    pub id: u32,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub via: Via,
}

/// A border crossing the text names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossingMention {
    pub id: String,
    pub border: String,
    pub lon: f64,
    pub lat: f64,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// A district or province the text names ("Kalbajar district", "Tavush"): drawn as the polygon
/// `province` of `data/provinces.geojson`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictMention {
    pub province: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// A point a border is localised by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StretchPoint {
    /// GeoNames id (None: a crossing not named after a settlement)
    pub settlement: Option<u32>,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

/// The stretch of a border an article is about: the part of the border line within
/// `radius_km` of any of `near` is drawn strongly, the rest faint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BorderStretch {
    /// scheme border id (`ARM-AZE`)
    pub border: String,
    pub near: Vec<StretchPoint>,
    pub radius_km: f64,
}

/// Everything the open-world pass found in one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Located {
    pub settlements: Vec<SettlementMention>,
    pub crossings: Vec<CrossingMention>,
    pub districts: Vec<DistrictMention>,
    /// border id -> sorted GeoNames ids of the settlements that localise it
    pub border_near: BTreeMap<String, Vec<u32>>,
    pub stretches: Vec<BorderStretch>,
    /// borders the geoparser left unresolved that a settlement right at one border resolves
    /// ("clashes on the border near Tegh"): border id and the border word's original span and
    /// sentence
    pub inferred_borders: Vec<InferredBorder>,
}

/// A border word resolved by the one border a settlement in its sentence lies on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InferredBorder {
    pub border: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// A settlement this close (km) to exactly one border resolves a bare border word beside it.
const ON_BORDER_KM: f32 = 10.0;

/// Border words of sentences whose settlement (placed at a border) lies within `ON_BORDER_KM`
/// of exactly one scheme border, for borders the text does not otherwise mention.
fn infer_borders(
    world: &World,
    inp: &Inputs,
    words: &BorderWords,
    at_border: &[bool],
    found: &[Found],
) -> Vec<InferredBorder> {
    let known: BTreeSet<&str> = inp
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Border)
        .map(|e| e.id.as_str())
        .collect();
    let mut out: Vec<InferredBorder> = Vec::new();
    for (f, _) in found.iter().zip(at_border).filter(|(_, &at)| at) {
        let m = &f.m;
        let Some(st) = world.settlement(m.id) else {
            continue;
        };
        let on: Vec<&str> = st
            .near_borders
            .iter()
            .filter(|(_, d)| *d <= ON_BORDER_KM)
            .map(|(b, _)| b.as_str())
            .collect();
        let [b] = on[..] else { continue };
        if known.contains(b) || out.iter().any(|x| x.border == b) {
            continue;
        }
        if let Some((s, e)) = words.in_sentence(m.sentence) {
            out.push(InferredBorder {
                border: b.to_string(),
                start: inp.folded.orig(s),
                end: inp.folded.orig(e),
                sentence: m.sentence,
            });
        }
    }
    out
}

impl Located {
    /// Sorted, distinct GeoNames ids of the settlements mentioned.
    pub fn settlement_ids(&self) -> Vec<u32> {
        let s: BTreeSet<u32> = self.settlements.iter().map(|m| m.id).collect();
        s.into_iter().collect()
    }
}

/// The inputs of the pass: the folded text, the geoparser's events and its entities.
pub(crate) struct Inputs<'a> {
    pub t: &'a [u8],
    pub folded: &'a Folded<'a>,
    pub evs: &'a [Ev],
    pub entries: &'a [EntryInfo],
    pub entities: &'a [Entity],
}

/// A settlement mention with its span in the folded text.
struct Found {
    m: SettlementMention,
    s: usize,
    e: usize,
}

/// A settlement match waiting for its cue.
struct Pending {
    candidates: Vec<(u32, NameKind)>,
    s: usize,
    e: usize,
    sent: usize,
    cued: bool,
}

impl Locator {
    pub(crate) fn locate(&self, world: &World, inp: &Inputs) -> Located {
        let t = inp.t;
        let countries = Countries::of(inp);
        let mut out = Located::default();
        let mut found: Vec<Found> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut cur = SentenceCursor::new();
        // names are capitalised: try the automaton (anchored) at each capitalised word start only
        let mut i = 0;
        while let Some(off) = t[i..].iter().position(u8::is_ascii_uppercase) {
            let s = i + off;
            i = s + 1;
            if s > 0 && is_word_byte(t[s - 1]) {
                continue;
            }
            let input = Input::new(t).span(s..t.len()).anchored(Anchored::Yes);
            let Ok(Some(m)) = self.ac.try_find(input) else {
                continue;
            };
            let e = m.end();
            if e < t.len() && is_word_byte(t[e]) {
                continue;
            }
            i = e;
            let sent = cur.advance(t, s);
            let key = &self.keys[m.pattern().as_usize()];
            let (os, oe) = (inp.folded.orig(s), inp.folded.orig(e));
            if let Some(ci) = key.crossing {
                let c = &world.crossings()[ci as usize];
                out.crossings.push(CrossingMention {
                    id: c.id.clone(),
                    border: c.border.clone(),
                    lon: c.lon,
                    lat: c.lat,
                    start: os,
                    end: oe,
                    sentence: sent,
                });
                for &id in &c.settlements {
                    if let Some(st) = world.settlement(id) {
                        found.push(Found {
                            m: mention(st, os, oe, sent, Via::Crossing(c.id.clone())),
                            s,
                            e,
                        });
                    }
                }
                continue;
            }
            if let Some((di, bare)) = key.district {
                if bare || next_word(t, e).is_some_and(|w| w.is_any(t, &lex().district_nouns)) {
                    out.districts.push(DistrictMention {
                        province: world.districts()[di as usize].province.clone(),
                        start: os,
                        end: oe,
                        sentence: sent,
                    });
                    continue;
                }
            }
            if key.settlements.is_empty() || overlaps_event(inp.evs, s, e) {
                continue;
            }
            // "Gori municipality", "Kalbajar region": the district, not the town
            if next_word(t, e).is_some_and(|w| w.is_any(t, &lex().district_nouns)) {
                continue;
            }
            if part_of_longer_name(t, s, e) {
                continue;
            }
            // "the Aras", "the Istisu spa": a river, a mountain, a building named after a place
            let after_the = prev_word(t, s).is_some_and(|w| w.is(t, "the"));
            if after_the && !next_word(t, e).is_some_and(|w| w.is_any(t, &PLACE_AFTER)) {
                continue;
            }
            // "the towns of Masis and Ararat": the cue covers the coordination
            let coordinated = pending.last().is_some_and(|q| {
                q.cued && q.sent == sent && {
                    let gap = t[q.e..s].trim_ascii();
                    gap == b","
                        || gap.eq_ignore_ascii_case(b"and")
                        || gap.eq_ignore_ascii_case(b"or")
                        || gap.eq_ignore_ascii_case(b", and")
                }
            });
            pending.push(Pending {
                candidates: key.settlements.clone(),
                s,
                e,
                sent,
                cued: coordinated || settlement_cue(t, s, e),
            });
        }
        self.gazetteer_places(world, inp, &mut found);
        self.accept_pending(world, inp, &countries, pending, &mut found);
        found.sort_by_key(|f| f.s);
        let border_words = BorderWords::of(inp.evs);
        let at_border: Vec<bool> = found
            .iter()
            .map(|f| placed_at_border(inp.t, &border_words, f))
            .collect();
        let inferred = infer_borders(world, inp, &border_words, &at_border, &found);
        out.settlements = found.into_iter().map(|f| f.m).collect();
        border_near(world, inp.entities, &inferred, &at_border, &mut out);
        out.inferred_borders = inferred;
        out
    }

    /// Literal places of the gazetteer that are GeoNames settlements: the events attributed to
    /// an emitted place entity.
    fn gazetteer_places(&self, world: &World, inp: &Inputs, found: &mut Vec<Found>) {
        let mut emitted = vec![false; inp.entries.len()];
        for ent in inp.entities.iter().filter(|e| e.kind == EntityKind::Place) {
            if let Some(i) = inp.entries.iter().position(|x| x.id == ent.id) {
                emitted[i] = true;
            }
        }
        for ev in inp.evs {
            let EvKind::Ref {
                target: Some(x), ..
            } = ev.kind
            else {
                continue;
            };
            if !emitted[x as usize] {
                continue;
            }
            let Some(si) = self.gaz_settlement[x as usize] else {
                continue;
            };
            // "Gori municipality": the district, not the town
            if next_word(inp.t, ev.e).is_some_and(|w| w.is_any(inp.t, &lex().district_nouns)) {
                continue;
            }
            let st = &world.settlements()[si as usize];
            let (os, oe) = (inp.folded.orig(ev.s), inp.folded.orig(ev.e));
            let via = Via::Gazetteer(inp.entries[x as usize].id.clone());
            found.push(Found {
                m: mention(st, os, oe, ev.sent, via),
                s: ev.s,
                e: ev.e,
            });
        }
    }

    /// Picks each pending match's settlement; an ambiguous one needs a cue or a confirmed
    /// settlement in the same sentence.
    fn accept_pending(
        &self,
        world: &World,
        inp: &Inputs,
        countries: &Countries,
        pending: Vec<Pending>,
        found: &mut Vec<Found>,
    ) {
        // (pending index, settlement, needs a cue, needs its own cue)
        let mut chosen: Vec<(usize, u32, bool, bool)> = Vec::new();
        for (i, p) in pending.iter().enumerate() {
            let (best, kind) = p
                .candidates
                .iter()
                .copied()
                .max_by(|&(a, _), &(b, _)| {
                    let sa = score(&world.settlements()[a as usize], p, countries);
                    let sb = score(&world.settlements()[b as usize], p, countries);
                    sa.total_cmp(&sb)
                })
                .expect("a key has candidates");
            let st = &world.settlements()[best as usize];
            let named = countries.in_doc(&st.country);
            // an alternate name (often another language's) needs its country in the text
            // an alternate name that is a common word or of an unnamed country needs its own cue;
            // a primary name may also lean on a settlement named in the same sentence
            let strict =
                kind == NameKind::AmbiguousAlternate || (kind == NameKind::Alternate && !named);
            let needs_cue = strict
                || st.ambiguous
                || (!CORE.contains(&st.country.as_str()) && st.population < 100_000 && !named);
            chosen.push((i, best, needs_cue, strict));
        }
        let confirmed_sents: BTreeSet<usize> = chosen
            .iter()
            .filter(|c| !c.2)
            .map(|c| pending[c.0].sent)
            .chain(found.iter().map(|f| f.m.sentence))
            .collect();
        for (i, si, needs_cue, strict) in chosen {
            let p = &pending[i];
            let confirmed = !strict && confirmed_sents.contains(&p.sent);
            if needs_cue && !p.cued && !confirmed {
                continue;
            }
            let st = &world.settlements()[si as usize];
            let (os, oe) = (inp.folded.orig(p.s), inp.folded.orig(p.e));
            found.push(Found {
                m: mention(st, os, oe, p.sent, Via::Name),
                s: p.s,
                e: p.e,
            });
        }
    }
}

fn mention(
    st: &super::world::Settlement,
    start: usize,
    end: usize,
    sentence: usize,
    via: Via,
) -> SettlementMention {
    SettlementMention {
        id: st.id,
        name: st.name.clone(),
        lon: st.lon,
        lat: st.lat,
        start,
        end,
        sentence,
        via,
    }
}

/// Countries (by the border country of each name) with the folded offset and sentence of each
/// mention, in text order, and which countries the text names at all.
struct Countries {
    mentions: Vec<(u8, usize, usize)>,
    named: [bool; COUNTRY_ORDER.len()],
}

impl Countries {
    fn of(inp: &Inputs) -> Countries {
        let mentions: Vec<(u8, usize, usize)> = inp
            .evs
            .iter()
            .filter_map(|ev| match ev.kind {
                EvKind::Ref {
                    entry,
                    target: Some(_),
                    ..
                } => inp.entries[entry as usize].bc.map(|c| (c, ev.s, ev.sent)),
                _ => None,
            })
            .collect();
        let mut named = [false; COUNTRY_ORDER.len()];
        for &(c, _, _) in &mentions {
            named[c as usize] = true;
        }
        Countries { mentions, named }
    }
    fn code(country: &str) -> Option<u8> {
        COUNTRY_ORDER
            .iter()
            .position(|c| *c == country)
            .map(|i| i as u8)
    }
    fn in_doc(&self, country: &str) -> bool {
        Self::code(country).is_some_and(|c| self.named[c as usize])
    }
    /// The mentions of sentences `from..=to`.
    fn sentences(&self, from: usize, to: usize) -> &[(u8, usize, usize)] {
        let a = self.mentions.partition_point(|m| m.2 < from);
        let b = self.mentions.partition_point(|m| m.2 <= to);
        &self.mentions[a..b]
    }
    /// Bytes between `pos` and the nearest mention of `country` in sentence `sent` (among the
    /// eight mentions either side of `pos`).
    fn distance_in_sentence(&self, country: &str, pos: usize, sent: usize) -> Option<usize> {
        let c = Self::code(country)?;
        let here = self.sentences(sent, sent);
        let k = here.partition_point(|m| m.1 < pos);
        here[k.saturating_sub(8)..(k + 8).min(here.len())]
            .iter()
            .filter(|m| m.0 == c)
            .map(|m| m.1.abs_diff(pos))
            .min()
    }
    fn near(&self, country: &str, sent: usize) -> bool {
        Self::code(country).is_some_and(|c| {
            self.sentences(sent.saturating_sub(1), sent + 1)
                .iter()
                .any(|m| m.0 == c)
        })
    }
}

/// Which of same-named settlements a mention means: the country named closest to it in its
/// sentence, then around it, then in the text, then the core countries, then population.
fn score(st: &super::world::Settlement, p: &Pending, countries: &Countries) -> f64 {
    let mut s = (st.population.max(1) as f64).ln() * 0.1;
    if let Some(d) = countries.distance_in_sentence(&st.country, p.s, p.sent) {
        s += 4.0 + 3.0 / (1.0 + d as f64 / 8.0);
    } else if countries.near(&st.country, p.sent) {
        s += 4.0;
    } else if countries.in_doc(&st.country) {
        s += 2.0;
    }
    if CORE.contains(&st.country.as_str()) {
        s += 0.5;
    }
    s
}

/// True when a gazetteer event overlaps `s..e`.
fn overlaps_event(evs: &[Ev], s: usize, e: usize) -> bool {
    let k = evs.partition_point(|ev| ev.e <= s);
    evs.get(k).is_some_and(|ev| ev.s < e)
}

/// A capitalised word right before or after (no punctuation between) makes the name part of a
/// longer one: a person ("Ruben Sisian"), an organisation, a street.
fn part_of_longer_name(t: &[u8], s: usize, e: usize) -> bool {
    let spaced = |a: usize, b: usize| t[a..b].iter().all(|&c| c == b' ');
    let before = prev_tok(t, s).is_some_and(|p| {
        p.is_word(t)
            && p.is_capitalized(t)
            && spaced(p.end, s)
            && !p.is_any(t, &FUNCTION_CAPS)
            && !at_line_start(t, p.start)
    });
    let after = next_tok(t, e).is_some_and(|n| {
        n.is_word(t)
            && n.is_capitalized(t)
            && spaced(e, n.start)
            && !n.is_any(t, &PLACE_AFTER)
            && !n.is_any(t, &lex().district_nouns)
    });
    before || after
}

/// A word around the name that makes it a settlement.
fn settlement_cue(t: &[u8], s: usize, e: usize) -> bool {
    if next_word(t, e).is_some_and(|w| w.is_any(t, &PLACE_AFTER)) {
        return true;
    }
    let Some(p) = prev_word(t, s) else {
        return false;
    };
    if p.is_any(t, &PLACE_PREPS) {
        return true;
    }
    p.is(t, "of") && prev_word(t, p.start).is_some_and(|w| w.is_any(t, &PLACE_OF_NOUNS))
}

const ROAD_NOUNS: [&str; 7] = [
    "road", "roads", "highway", "route", "railway", "motorway", "pipeline",
];

/// The first border word of each sentence that has one (folded span), in sentence order.
struct BorderWords(Vec<(usize, usize, usize)>);

impl BorderWords {
    fn of(evs: &[Ev]) -> BorderWords {
        let mut v: Vec<(usize, usize, usize)> = Vec::new();
        for ev in evs.iter().filter(|ev| matches!(ev.kind, EvKind::Border)) {
            if v.last().is_none_or(|l| l.0 != ev.sent) {
                v.push((ev.sent, ev.s, ev.e));
            }
        }
        BorderWords(v)
    }
    /// The first border word of sentence `sent`.
    fn in_sentence(&self, sent: usize) -> Option<(usize, usize)> {
        let k = self.0.partition_point(|x| x.0 < sent);
        self.0
            .get(k)
            .filter(|x| x.0 == sent)
            .map(|&(_, s, e)| (s, e))
    }
}

/// A settlement mention the text may place a border at: its sentence has a border word, and it
/// is neither a dateline ("YEREVAN -") nor the end of a road ("the road from Goris to X",
/// "the Armavir-Gyumri road"), which may run along a border without being on it.
fn placed_at_border(t: &[u8], words: &BorderWords, f: &Found) -> bool {
    if words.in_sentence(f.m.sentence).is_none() {
        return false;
    }
    let dateline = at_line_start(t, f.s) && t[f.s..f.e].iter().all(|b| !b.is_ascii_lowercase());
    !dateline && !road_end(t, f.s, f.e)
}

/// The name is an end of a road: "(road) from X to Y", "the X-Y road".
fn road_end(t: &[u8], s: usize, e: usize) -> bool {
    let mut p = e;
    for _ in 0..4 {
        let Some(w) = next_tok(t, p) else { break };
        if w.is_word(t) && w.is_any(t, &ROAD_NOUNS) {
            return true;
        }
        if !w.is_word(t) && !w.is_punct(t, b'-') {
            break;
        }
        p = w.end;
    }
    if !prev_word(t, s).is_some_and(|w| w.is_any(t, &["from", "to", "and", "between"])) {
        return false;
    }
    let mut p = s;
    for _ in 0..6 {
        let Some(w) = prev_word(t, p) else { break };
        if w.is_any(t, &ROAD_NOUNS) {
            return true;
        }
        p = w.start;
    }
    false
}

/// For each border the text mentions, the settlements within `STRETCH_RADIUS_KM` of it that the
/// text places at a border (`at_border`, per settlement mention), and the crossings on it.
fn border_near(
    world: &World,
    entities: &[Entity],
    inferred: &[InferredBorder],
    at_border: &[bool],
    out: &mut Located,
) {
    let mut near: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut points: BTreeMap<String, Vec<StretchPoint>> = BTreeMap::new();
    let mut add_point = |b: &str, p: StretchPoint| {
        let v = points.entry(b.to_string()).or_default();
        if !v
            .iter()
            .any(|q| q.name == p.name && q.settlement == p.settlement)
        {
            v.push(p);
        }
    };
    let borders = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Border)
        .map(|e| e.id.as_str())
        .chain(inferred.iter().map(|b| b.border.as_str()));
    for b_id in borders {
        for (m, &at) in out.settlements.iter().zip(at_border) {
            let Some(st) = world.settlement(m.id) else {
                continue;
            };
            let close = st.km_to_border(b_id).is_some_and(|d| d <= LOCALISE_KM);
            let by_crossing = matches!(&m.via, Via::Crossing(c)
                if world.crossings().iter().any(|x| &x.id == c && x.border == b_id));
            if close && (by_crossing || at) {
                near.entry(b_id.to_string()).or_default().insert(m.id);
                add_point(
                    b_id,
                    StretchPoint {
                        settlement: Some(m.id),
                        name: m.name.clone(),
                        lon: m.lon,
                        lat: m.lat,
                    },
                );
            }
        }
        for c in out.crossings.iter().filter(|c| c.border == b_id) {
            add_point(
                b_id,
                StretchPoint {
                    settlement: None,
                    name: c.id.clone(),
                    lon: c.lon,
                    lat: c.lat,
                },
            );
        }
    }
    out.border_near = near
        .into_iter()
        .map(|(b, ids)| (b, ids.into_iter().collect()))
        .collect();
    out.stretches = points
        .into_iter()
        .map(|(border, near)| BorderStretch {
            border,
            near,
            radius_km: STRETCH_RADIUS_KM,
        })
        .collect();
}
