//! A feature's properties: a small list in key order. A `serde_json::Map` (a B-tree) per feature
//! costs a node of eleven entries however few it holds, about 800 bytes for four properties;
//! a 100 MB file of 56,000 features kept 46 MB of them. The list holds what it holds, and its
//! keys are shared: the features of a file mostly repeat the same few keys, and a key of its own
//! for each took 48 bytes a key a feature (7 MB of a 100 MB file of four properties a feature;
//! a point file with a dozen properties a point spends more on its keys than on its points).
//! Its values are compact too: a `serde_json::Value` is 32 bytes and each string in it an
//! allocation of its own (300,000 GeoNames points of twelve properties kept 115 MB of values);
//! here a scalar is 16 bytes and a feature's strings share one allocation. Arrays and objects,
//! rare, keep their `Value`.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties {
    /// In order, each once; shared with the other features that have the same keys.
    keys: Arc<[Arc<str>]>,
    /// `values[i]` is `keys[i]`'s.
    values: Box<[Slot]>,
    /// The text of every string value, one after the other.
    text: Box<str>,
}

/// A value as stored: 16 bytes.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Null,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    /// A string: its bytes in the feature's `text`.
    Str {
        at: u32,
        len: u32,
    },
    /// An array or an object.
    Json(Box<Value>),
}

/// A property's value, borrowed from its feature: `serde_json::Value`'s accessors, without
/// a `Value` kept for every property.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PropValue<'a> {
    Null,
    Bool(bool),
    UInt(u64),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// An array or an object.
    Json(&'a Value),
}

impl<'a> PropValue<'a> {
    pub fn as_str(&self) -> Option<&'a str> {
        match *self {
            PropValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            PropValue::UInt(n) => Some(n),
            PropValue::Int(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            PropValue::UInt(n) => i64::try_from(n).ok(),
            PropValue::Int(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            PropValue::UInt(n) => Some(n as f64),
            PropValue::Int(n) => Some(n as f64),
            PropValue::Float(x) => Some(x),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            PropValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&'a Vec<Value>> {
        match *self {
            PropValue::Json(v) => v.as_array(),
            _ => None,
        }
    }

    pub fn is_string(&self) -> bool {
        matches!(self, PropValue::Str(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(
            self,
            PropValue::UInt(_) | PropValue::Int(_) | PropValue::Float(_)
        )
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, PropValue::Bool(_))
    }

    pub fn is_array(&self) -> bool {
        self.as_array().is_some()
    }

    pub fn is_null(&self) -> bool {
        matches!(self, PropValue::Null)
    }

    /// As a `serde_json::Value` (a copy).
    pub fn to_value(&self) -> Value {
        match *self {
            PropValue::Null => Value::Null,
            PropValue::Bool(b) => Value::Bool(b),
            PropValue::UInt(n) => n.into(),
            PropValue::Int(n) => n.into(),
            PropValue::Float(x) => Number::from_f64(x).map_or(Value::Null, Value::Number),
            PropValue::Str(s) => Value::String(s.to_string()),
            PropValue::Json(v) => v.clone(),
        }
    }
}

/// As JSON text (strings quoted), as `Value`'s `Display`.
impl fmt::Display for PropValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PropValue::Json(v) => v.fmt(f),
            PropValue::Str(s) => Value::from(s).fmt(f),
            other => other.to_value().fmt(f),
        }
    }
}

/// Keys and lists of keys a thread has seen lately, each set emptied when full, so that a
/// file whose every feature has keys of its own keeps no more than it would unshared.
const SHARED: usize = 4096;

thread_local! {
    static KEYS: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
    static KEY_LISTS: RefCell<HashSet<Arc<[Arc<str>]>>> = RefCell::new(HashSet::new());
}

/// `value`, or the equal one in `set` (a thread's): kept once however many features hold it.
fn shared<T: ?Sized + Eq + std::hash::Hash>(
    set: &'static std::thread::LocalKey<RefCell<HashSet<Arc<T>>>>,
    value: &T,
) -> Arc<T>
where
    for<'a> Arc<T>: From<&'a T>,
{
    set.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(v) = set.get(value) {
            return v.clone();
        }
        if set.len() >= SHARED {
            set.clear();
        }
        let v = Arc::from(value);
        set.insert(v.clone());
        v
    })
}

/// `value` as a slot, its string (if any) added to `text`. A feature's text past 4 GB (u32
/// offsets) keeps its strings as `Value`s.
fn slot(value: Value, text: &mut String) -> Slot {
    match value {
        Value::Null => Slot::Null,
        Value::Bool(b) => Slot::Bool(b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Slot::UInt(u),
            (_, Some(i), _) => Slot::Int(i),
            (_, _, Some(x)) => Slot::Float(x),
            _ => Slot::Json(Box::new(Value::Number(n))),
        },
        Value::String(s) if text.len() + s.len() <= u32::MAX as usize => {
            let (at, len) = (text.len() as u32, s.len() as u32);
            text.push_str(&s);
            Slot::Str { at, len }
        }
        other => Slot::Json(Box::new(other)),
    }
}

impl Properties {
    pub fn new() -> Properties {
        Properties::default()
    }

    pub fn get(&self, key: &str) -> Option<PropValue<'_>> {
        self.position(key).ok().map(|i| self.value_at(i))
    }

    /// `key`'s value as a `serde_json::Value` (a copy): `Null` where the key is missing, as
    /// `Value`'s own indexing gives.
    pub fn value(&self, key: &str) -> Value {
        self.get(key).map_or(Value::Null, |v| v.to_value())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key`, keeping the key order; the value it had, if any.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        let before = self.get(&key).map(|v| v.to_value());
        let mut list: Vec<(Arc<str>, Value)> = self
            .iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| (shared(&KEYS, k), v.to_value()))
            .collect();
        let at = list.partition_point(|(k, _)| **k < *key);
        list.insert(at, (shared(&KEYS, key.as_str()), value));
        *self = Properties::from_sorted(list);
        before
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Keys in order (the order a `serde_json::Map` has).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| &**k)
    }

    /// Keys and values in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, PropValue<'_>)> {
        self.keys()
            .zip((0..self.values.len()).map(|i| self.value_at(i)))
    }

    /// As a JSON object (for writing a feature out).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.to_value()))
            .collect()
    }

    /// Whether this feature's list of keys is the one `other`'s is (tests: a file's features
    /// share their keys).
    pub fn shares_keys_with(&self, other: &Properties) -> bool {
        Arc::ptr_eq(&self.keys, &other.keys)
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.keys.binary_search_by(|k| (**k).cmp(key))
    }

    fn value_at(&self, i: usize) -> PropValue<'_> {
        match &self.values[i] {
            Slot::Null => PropValue::Null,
            Slot::Bool(b) => PropValue::Bool(*b),
            Slot::UInt(n) => PropValue::UInt(*n),
            Slot::Int(n) => PropValue::Int(*n),
            Slot::Float(x) => PropValue::Float(*x),
            Slot::Str { at, len } => {
                PropValue::Str(&self.text[*at as usize..(*at + *len) as usize])
            }
            Slot::Json(v) => PropValue::Json(v),
        }
    }

    /// From keys (shared) and values in key order, each key once.
    fn from_sorted(list: Vec<(Arc<str>, Value)>) -> Properties {
        let mut text = String::new();
        let mut keys = Vec::with_capacity(list.len());
        let mut values = Vec::with_capacity(list.len());
        for (k, v) in list {
            keys.push(k);
            values.push(slot(v, &mut text));
        }
        Properties {
            keys: shared(&KEY_LISTS, keys.as_slice()),
            values: values.into_boxed_slice(),
            text: text.into_boxed_str(),
        }
    }
}

impl From<Map<String, Value>> for Properties {
    fn from(map: Map<String, Value>) -> Properties {
        let mut list: Vec<(Arc<str>, Value)> = map
            .into_iter()
            .map(|(k, v)| (shared(&KEYS, k.as_str()), v))
            .collect();
        // Already in key order, unless a dependency turns on serde_json's `preserve_order`.
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Properties::from_sorted(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_a_maps_keys_values_and_order() {
        let map: Map<String, Value> = serde_json::from_value(
            json!({"name": "zone 0", "value": 8761, "fill": "#a65628", "a": [1, {"b": 2}]}),
        )
        .unwrap();
        let mut p = Properties::from(map.clone());
        assert_eq!(p.len(), 4);
        assert_eq!(p.keys().collect::<Vec<_>>(), map.keys().collect::<Vec<_>>());
        assert_eq!(p.value("value"), 8761);
        assert_eq!(p.value("a")[1]["b"], 2);
        assert_eq!(p.value("missing"), Value::Null);
        assert_eq!(p.get("missing"), None);
        assert!(p.contains_key("fill") && !p.contains_key("fil"));
        assert_eq!(p.to_map(), map);
        assert_eq!(p.insert("value", json!(1)), Some(json!(8761)));
        assert_eq!(p.insert("b", json!(true)), None);
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            ["a", "b", "fill", "name", "value"]
        );
        assert_eq!(p.get("b"), Some(PropValue::Bool(true)));
    }

    #[test]
    fn keeps_every_kind_of_value_in_sixteen_bytes_and_one_text() {
        assert_eq!(std::mem::size_of::<Slot>(), 16);
        let map: Map<String, Value> = serde_json::from_value(json!({
            "big": u64::MAX, "neg": -7, "x": 0.25, "none": null, "yes": true,
            "name": "Gəncə", "code": "AZ", "empty": "", "list": ["a", 1], "obj": {"k": "v"},
        }))
        .unwrap();
        let p = Properties::from(map.clone());
        assert_eq!(p.to_map(), map, "every value back as it was");
        assert_eq!(p.get("big").and_then(|v| v.as_u64()), Some(u64::MAX));
        assert_eq!(p.get("neg").and_then(|v| v.as_i64()), Some(-7));
        assert_eq!(p.get("neg").and_then(|v| v.as_u64()), None);
        assert_eq!(p.get("x").and_then(|v| v.as_f64()), Some(0.25));
        assert!(p.get("none").is_some_and(|v| v.is_null()));
        assert_eq!(p.get("yes").and_then(|v| v.as_bool()), Some(true));
        assert_eq!(p.get("name").and_then(|v| v.as_str()), Some("Gəncə"));
        assert_eq!(p.get("empty").and_then(|v| v.as_str()), Some(""));
        assert_eq!(
            p.get("list").and_then(|v| v.as_array()).map(Vec::len),
            Some(2)
        );
        assert!(p
            .get("obj")
            .is_some_and(|v| !v.is_array() && !v.is_string()));
        // Strings print as JSON does, quoted; the strings share one text.
        assert_eq!(p.get("code").unwrap().to_string(), "\"AZ\"");
        assert_eq!(p.get("obj").unwrap().to_string(), r#"{"k":"v"}"#);
        assert_eq!(&*p.text, "AZGəncə");
    }

    #[test]
    fn shares_keys_and_keeps_the_shared_set_bounded() {
        let map = |k: &str| -> Map<String, Value> {
            serde_json::from_value(json!({ k: 1, "name": "x" })).unwrap()
        };
        let (a, b) = (Properties::from(map("pop")), Properties::from(map("pop")));
        assert!(a.shares_keys_with(&b));
        let mut c = Properties::from(map("area"));
        assert!(!a.shares_keys_with(&c));
        // A key added: the list of those that have the same keys.
        c.insert("pop", json!(2));
        let d = Properties::from(
            serde_json::from_value::<Map<String, Value>>(json!({"area": 0, "pop": 0, "name": ""}))
                .unwrap(),
        );
        assert!(c.shares_keys_with(&d));
        assert_eq!(c.keys().collect::<Vec<_>>(), ["area", "name", "pop"]);
        assert_eq!((c.value("area"), c.value("pop")), (json!(1), json!(2)));
        // Keys of their own for every feature: the sets are emptied when full, never grow past.
        for i in 0..SHARED * 2 {
            let p = Properties::from(map(&format!("k{i}")));
            assert_eq!(p.value(&format!("k{i}")), 1);
            assert!(KEYS.with(|k| k.borrow().len()) <= SHARED);
            assert!(KEY_LISTS.with(|k| k.borrow().len()) <= SHARED);
        }
        let e = Properties::from(map("pop"));
        assert_eq!(e.keys().collect::<Vec<_>>(), ["name", "pop"]);
    }
}
