//! A feature's properties: a small list in key order. A `serde_json::Map` (a B-tree) per feature
//! costs a node of eleven entries however few it holds, about 800 bytes for four properties;
//! a 100 MB file of 56,000 features kept 46 MB of them. The list holds what it holds, and its
//! keys are shared: the features of a file mostly repeat the same few keys, and a key of its own
//! for each took 48 bytes a key a feature (7 MB of a 100 MB file of four properties a feature;
//! a point file with a dozen properties a point spends more on its keys than on its points).

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties {
    /// In order, each once; shared with the other features that have the same keys.
    keys: Arc<[Arc<str>]>,
    /// `values[i]` is `keys[i]`'s.
    values: Box<[Value]>,
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

impl Properties {
    pub fn new() -> Properties {
        Properties::default()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.values[i])
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key`, keeping the key order; the value it had, if any.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                let mut keys = self.keys.to_vec();
                keys.insert(i, shared(&KEYS, key.as_str()));
                self.keys = shared(&KEY_LISTS, keys.as_slice());
                let mut values = std::mem::take(&mut self.values).into_vec();
                values.insert(i, value);
                self.values = values.into_boxed_slice();
                None
            }
        }
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

    pub fn iter(&self) -> <&Properties as IntoIterator>::IntoIter {
        self.into_iter()
    }

    /// As a JSON object (for writing a feature out).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
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
}

impl From<Map<String, Value>> for Properties {
    fn from(map: Map<String, Value>) -> Properties {
        let mut list: Vec<(String, Value)> = map.into_iter().collect();
        // Already in key order, unless a dependency turns on serde_json's `preserve_order`.
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let keys: Vec<Arc<str>> = list
            .iter()
            .map(|(k, _)| shared(&KEYS, k.as_str()))
            .collect();
        Properties {
            keys: shared(&KEY_LISTS, keys.as_slice()),
            values: list.into_iter().map(|(_, v)| v).collect(),
        }
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Zip<
        std::iter::Map<std::slice::Iter<'a, Arc<str>>, fn(&'a Arc<str>) -> &'a str>,
        std::slice::Iter<'a, Value>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        let key: fn(&'a Arc<str>) -> &'a str = |k| k;
        self.keys.iter().map(key).zip(self.values.iter())
    }
}

/// `properties["key"]`: `Null` where the key is missing, as `Value`'s own indexing gives.
impl std::ops::Index<&str> for Properties {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
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
        assert_eq!(p["value"], 8761);
        assert_eq!(p["a"][1]["b"], 2);
        assert_eq!(p["missing"], Value::Null);
        assert!(p.contains_key("fill") && !p.contains_key("fil"));
        assert_eq!(p.to_map(), map);
        assert_eq!(p.insert("value", json!(1)), Some(json!(8761)));
        assert_eq!(p.insert("b", json!(true)), None);
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            ["a", "b", "fill", "name", "value"]
        );
        assert_eq!(p.get("b"), Some(&json!(true)));
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
        assert_eq!((c["area"].clone(), c["pop"].clone()), (json!(1), json!(2)));
        // Keys of their own for every feature: the sets are emptied when full, never grow past.
        for i in 0..SHARED * 2 {
            let p = Properties::from(map(&format!("k{i}")));
            assert_eq!(p[format!("k{i}").as_str()], 1);
            assert!(KEYS.with(|k| k.borrow().len()) <= SHARED);
            assert!(KEY_LISTS.with(|k| k.borrow().len()) <= SHARED);
        }
        let e = Properties::from(map("pop"));
        assert_eq!(e.keys().collect::<Vec<_>>(), ["name", "pop"]);
    }
}
