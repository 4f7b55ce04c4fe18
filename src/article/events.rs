//! The types the matcher (`parse`, `rules`) and the border rules (`borders`) share: the events
//! found in the text, the per-entry data they point to, and the borders found.

use super::gazetteer::GazKind;

/// How a pattern names its entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Name,
    Weak,
    Adjective,
    Demonym,
}

/// Per-entry data the parser needs, resolved to indices.
#[derive(Clone, Debug)]
pub(crate) struct EntryInfo {
    pub id: String,
    pub name: String,
    pub kind: GazKind,
    pub emit: bool,
    /// index in COUNTRY_ORDER when the entry is a country
    pub country: Option<u8>,
    /// country (index) for border phrases
    pub bc: Option<u8>,
    pub breakaway: bool,
    pub coref_block: bool,
    pub capital_of: Option<u32>,
    pub city: Option<u32>,
    pub district: bool,
    pub metonym_only: bool,
    pub short: bool,
    /// entry index of `country` (leaders)
    pub country_entry: Option<u32>,
    pub north_caucasus: bool,
}

/// A recognised piece of text, in folded coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ev {
    pub s: usize,
    pub e: usize,
    pub sent: usize,
    pub kind: EvKind,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum EvKind {
    Ref {
        entry: u32,
        form: Form,
        /// the entity this mention is attributed to (None: not a mention, e.g. an ethnic adjective)
        target: Option<u32>,
    },
    Border,
    ContactLine,
    UsCue,
    /// "North Caucasus" or a North Caucasus republic/city: "the Caucasus" is not the South Caucasus
    NorthCue,
}

/// A border found by the border rules: country indices (sorted) or the Karabakh line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum BorderId {
    Pair(u8, u8),
    KarabakhLine,
}

/// One border mention found by the border rules, in folded coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BorderMention {
    pub border: BorderId,
    /// byte range of the border word(s) in the folded text
    pub start: usize,
    pub end: usize,
    /// sentence index
    pub sentence: usize,
}

impl BorderMention {
    pub fn new(border: BorderId, start: usize, end: usize, sentence: usize) -> Self {
        BorderMention {
            border,
            start,
            end,
            sentence,
        }
    }
}
