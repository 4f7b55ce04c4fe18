//! The closed word lists of the context rules, read from `data/lexicon.toml` (embedded in the
//! binary and parsed once). Words are lower-case ASCII and matched case-insensitively.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::text::{WordHasher, WordList};

/// `data/lexicon.toml`, embedded.
pub const EMBEDDED_LEXICON: &str = include_str!("../../data/lexicon.toml");

/// Longest word a list may hold (lookups copy the token into a buffer this size).
pub const MAX_WORD_LEN: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon: {0}")]
    Toml(#[from] toml::de::Error),
    #[error(
        "lexicon: list `{list}`: {word:?} is not a lower-case ASCII word of at most {MAX_WORD_LEN} bytes"
    )]
    BadWord { list: &'static str, word: String },
}

/// A set of lower-case ASCII words.
#[derive(Debug, Default)]
pub struct WordSet(HashSet<Box<[u8]>, WordHasher>);

impl<'de> Deserialize<'de> for WordSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let words = Vec::<String>::deserialize(d)?;
        Ok(WordSet(
            words
                .into_iter()
                .map(|w| w.into_bytes().into_boxed_slice())
                .collect(),
        ))
    }
}

impl WordSet {
    fn check(&self, list: &'static str) -> Result<(), LexiconError> {
        for w in &self.0 {
            let ok = !w.is_empty()
                && w.len() <= MAX_WORD_LEN
                && w.iter().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
            if !ok {
                return Err(LexiconError::BadWord {
                    list,
                    word: String::from_utf8_lossy(w).into_owned(),
                });
            }
        }
        Ok(())
    }
}

impl WordList for WordSet {
    #[inline]
    fn contains_word(&self, w: &[u8]) -> bool {
        let mut buf = [0u8; MAX_WORD_LEN];
        if w.len() > buf.len() {
            return false;
        }
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w);
        b.make_ascii_lowercase();
        self.0.contains(&b[..])
    }
}

macro_rules! lexicon {
    ($($(#[doc = $doc:literal])* $name:ident,)*) => {
        /// Every word list of the context rules; one field per list of `data/lexicon.toml`.
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Lexicon {
            $($(#[doc = $doc])* pub $name: WordSet,)*
        }

        impl Lexicon {
            fn check(&self) -> Result<(), LexiconError> {
                $(self.$name.check(stringify!($name))?;)*
                Ok(())
            }
        }
    };
}

lexicon! {
    /// Nouns that make a national adjective a reference to the state ("Armenian forces").
    state_nouns,
    /// Words between a national adjective and its head noun that decide nothing.
    adj_skip,
    /// Nouns that make a national adjective ethnic / cultural / linguistic, not the state.
    ethnic_nouns,
    /// Second halves of compounds that make a national adjective a state reference.
    state_suffixes,
    /// Head nouns of relation compounds ("Armenian-Azerbaijani talks").
    relation_nouns,
    /// Nouns after a possessive capital that keep it literal ("Baku's streets").
    city_nouns,
    /// Verbs after a capital that make it a metonym for its government ("Baku said").
    metonym_verbs,
    /// Of `metonym_verbs`, the ones that need a following verb/adjective to decide.
    aux_words,
    /// Predicates after "X is/was" that make a capital a metonym.
    metonym_predicates,
    /// Words before a capital that make it literal (a location).
    literal_preps,
    /// Nouns before "to/from X" that make a capital a metonym ("a message to Baku").
    comm_nouns,
    /// Nouns before "with X" that make a capital a metonym ("talks with Tbilisi").
    with_nouns,
    /// Nouns before "between X and Y" that make the pair literal places.
    travel_nouns,
    /// Verbs before a capital whose object is a government ("accused Baku").
    metonym_object_verbs,
    /// Words after a town name that make it the district/front of the same name.
    district_nouns,
    /// Words after "Caucasus"/"Caspian" that keep a weak alias geographic.
    region_nouns,
    /// Lower-case modifiers that may stand between a compound and "border".
    border_mods,
    /// Words before "border" that make it refer to the two countries in focus.
    coref_strong,
    /// Plural subjects whose possessive before "border" makes a co-reference.
    coref_plural_owners,
    /// Adverbs skipped between an auxiliary and the verb.
    adverb_skip,
    /// Verbs whose subject is the city itself ("Baku hosted the games").
    literal_verbs,
    /// Nouns that may follow "border" before "between"/"with".
    border_nouns,
}

impl Lexicon {
    /// Parses and checks a lexicon file.
    pub fn from_toml(src: &str) -> Result<Lexicon, LexiconError> {
        let lex: Lexicon = toml::from_str(src)?;
        lex.check()?;
        Ok(lex)
    }

    /// The embedded lexicon, parsed on first use.
    pub fn embedded() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::from_toml(EMBEDDED_LEXICON).expect("embedded lexicon is valid"))
    }
}

/// Shorthand for [`Lexicon::embedded`], used by the rules.
#[inline]
pub(crate) fn lex() -> &'static Lexicon {
    Lexicon::embedded()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_parses_and_matches_case_insensitively() {
        let l = Lexicon::embedded();
        assert!(l.state_nouns.contains_word(b"Forces"));
        assert!(!l.state_nouns.contains_word(b"cuisine"));
        assert!(l.border_nouns.contains_word(b"demarcation"));
    }

    #[test]
    fn unknown_list_and_bad_word_are_errors_naming_them() {
        let mut src = EMBEDDED_LEXICON.to_string();
        src.push_str("\nno_such_list = [\"x\"]\n");
        let e = Lexicon::from_toml(&src).unwrap_err().to_string();
        assert!(e.contains("no_such_list"), "{e}");
        let src = EMBEDDED_LEXICON.replacen("\"forces\"", "\"Forces\"", 1);
        let e = Lexicon::from_toml(&src).unwrap_err().to_string();
        assert!(e.contains("state_nouns") && e.contains("Forces"), "{e}");
    }
}
