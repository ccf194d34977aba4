//! A bounded set of breakers, one per key.

use crate::breaker::Breaker;
use crate::builder::Builder;
use crate::error::BuildError;
use crate::event::{BreakerEvent, BreakerListener};
use crate::state::State;
use backon_core::Clock;
use core::fmt;
use core::hash::Hash;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// Keys a set holds, unless set.
const DEFAULT_MAX_KEYS: usize = 1024;

type KeyListenerFn<K> = dyn Fn(&K, &BreakerEvent) + Send + Sync;

/// Builds [`KeyedBreakers`]; from [`Builder::keyed`].
///
/// # Defaults
///
/// At most 1024 keys; no listener that sees the key (the breaker
/// builder's own listeners still hear every key's events).
pub struct KeyedBuilder<K, R, C> {
    builder: Builder<R, C>,
    max_keys: usize,
    listener: Option<Arc<KeyListenerFn<K>>>,
}

impl<K, R, C> KeyedBuilder<K, R, C> {
    pub(crate) fn new(builder: Builder<R, C>) -> Self {
        KeyedBuilder {
            builder,
            max_keys: DEFAULT_MAX_KEYS,
            listener: None,
        }
    }

    /// Bounds the number of keys; see [`KeyedBreakers`] for which key goes
    /// when a new one comes.
    pub fn max_keys(mut self, n: usize) -> Self {
        self.max_keys = n;
        self
    }

    /// Sets a listener that hears every key's events with the key.
    pub fn listen<F>(mut self, listener: F) -> Self
    where
        F: Fn(&K, &BreakerEvent) + Send + Sync + 'static,
    {
        self.listener = Some(Arc::new(listener));
        self
    }
}

impl<K, R, C> KeyedBuilder<K, R, C>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    R: Clock + Clone + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Clone + Send + Sync + 'static,
{
    /// Builds the empty set.
    ///
    /// # Errors
    ///
    /// Returns the breaker settings' [`BuildError`], or
    /// [`BuildError::ZeroKeys`].
    pub fn build(self) -> Result<KeyedBreakers<K, R, C>, BuildError> {
        self.builder.validate()?;
        if self.max_keys == 0 {
            return Err(BuildError::ZeroKeys);
        }

        Ok(KeyedBreakers {
            inner: Arc::new(Keyed {
                builder: self.builder,
                max_keys: self.max_keys,
                listener: self.listener,
                map: RwLock::new(HashMap::new()),
                clock: AtomicU64::new(0),
            }),
        })
    }
}

/// One breaker per key (per host, say), at most a fixed number of keys.
///
/// [`get`](KeyedBreakers::get) returns the key's breaker, building it on
/// first use. Clones share the set.
///
/// **Eviction.** When a new key comes and the set is full, the least
/// recently used key whose breaker is closed (or disabled) goes. If every
/// breaker is open, half-open or isolated, the least recently used key goes
/// all the same: the set never grows past its bound. Evicting a key drops
/// only the set's handle; clones still held keep working but are no longer
/// the key's breaker, and the key starts closed the next time it comes.
///
/// Looking a key up takes a read lock; keep the [`Breaker`] it returns
/// for a hot loop on one key.
///
/// # Examples
///
/// ```
/// use backon_breaker::{Breaker, State};
///
/// let hosts = Breaker::builder()
///     .consecutive_failures(1)
///     .keyed::<String>()
///     .max_keys(100)
///     .build()?;
///
/// let down = hosts.get(&"db-1".to_string());
/// let _ = down.call(|| Err::<(), _>(std::io::Error::other("refused")));
///
/// assert_eq!(hosts.get(&"db-1".to_string()).state(), State::Open);
/// assert_eq!(hosts.get(&"db-2".to_string()).state(), State::Closed);
/// assert_eq!(hosts.len(), 2);
/// # Ok::<(), backon_breaker::BuildError>(())
/// ```
pub struct KeyedBreakers<K, R: Clock, C> {
    inner: Arc<Keyed<K, R, C>>,
}

struct Keyed<K, R: Clock, C> {
    builder: Builder<R, C>,
    max_keys: usize,
    listener: Option<Arc<KeyListenerFn<K>>>,
    map: RwLock<HashMap<K, Slot<R, C>>>,
    /// A logical clock for "least recently used".
    clock: AtomicU64,
}

struct Slot<R: Clock, C> {
    breaker: Breaker<R, C>,
    used: AtomicU64,
}

impl<K, R, C> KeyedBreakers<K, R, C>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    R: Clock + Clone + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Clone + Send + Sync + 'static,
{
    /// Returns the key's breaker, building it if the key is new.
    pub fn get(&self, key: &K) -> Breaker<R, C> {
        let keyed = &self.inner;
        let now = keyed.clock.fetch_add(1, Relaxed);
        if let Some(breaker) = keyed.lookup(key, now) {
            return breaker;
        }

        let mut map = keyed.map.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = map.get(key) {
            slot.used.store(now, Relaxed);
            return slot.breaker.clone();
        }
        if map.len() >= keyed.max_keys {
            evict(&mut map);
        }

        let breaker = keyed.make(key);
        let slot = Slot {
            breaker: breaker.clone(),
            used: AtomicU64::new(now),
        };
        map.insert(key.clone(), slot);
        breaker
    }

    /// Removes a key, returning its breaker.
    pub fn remove(&self, key: &K) -> Option<Breaker<R, C>> {
        let mut map = self
            .inner
            .map
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        map.remove(key).map(|slot| slot.breaker)
    }

    /// Returns the number of keys held.
    pub fn len(&self) -> usize {
        self.inner.read().len()
    }

    /// Returns whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, R, C> Keyed<K, R, C>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    R: Clock + Clone + Send + Sync + 'static,
    R::Instant: Send + Sync,
    C: Clone + Send + Sync + 'static,
{
    fn lookup(&self, key: &K, now: u64) -> Option<Breaker<R, C>> {
        let map = self.read();
        let slot = map.get(key)?;
        slot.used.store(now, Relaxed);
        Some(slot.breaker.clone())
    }

    fn make(&self, key: &K) -> Breaker<R, C> {
        let builder = self.builder.clone();
        let builder = match &self.listener {
            Some(listener) => builder.listen_shared(Arc::new(KeyListener {
                key: key.clone(),
                listener: listener.clone(),
            })),
            None => builder,
        };
        builder.assemble()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<K, Slot<R, C>>> {
        // A panic while the map was locked leaves it whole: every change
        // is one insert or remove.
        self.map.read().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Removes the least recently used closed key, or failing that the least
/// recently used key.
fn evict<K: Eq + Hash + Clone, R: Clock, C>(map: &mut HashMap<K, Slot<R, C>>) {
    let closed =
        |slot: &Slot<R, C>| matches!(slot.breaker.state(), State::Closed | State::Disabled);
    let oldest = |filter: &dyn Fn(&Slot<R, C>) -> bool| {
        map.iter()
            .filter(|(_, slot)| filter(slot))
            .min_by_key(|(_, slot)| slot.used.load(Relaxed))
            .map(|(key, _)| key.clone())
    };

    if let Some(key) = oldest(&closed).or_else(|| oldest(&|_| true)) {
        map.remove(&key);
    }
}

struct KeyListener<K> {
    key: K,
    listener: Arc<KeyListenerFn<K>>,
}

impl<K: Send + Sync> BreakerListener for KeyListener<K> {
    fn on_event(&self, event: &BreakerEvent) {
        (self.listener)(&self.key, event);
    }
}

impl<K, R: Clock, C> Clone for KeyedBreakers<K, R, C> {
    fn clone(&self) -> Self {
        KeyedBreakers {
            inner: self.inner.clone(),
        }
    }
}

impl<K, R: Clock, C> fmt::Debug for KeyedBreakers<K, R, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.inner.map.read().map_or(0, |map| map.len());
        f.debug_struct("KeyedBreakers")
            .field("keys", &keys)
            .field("max_keys", &self.inner.max_keys)
            .finish_non_exhaustive()
    }
}

impl<K, R: fmt::Debug, C> fmt::Debug for KeyedBuilder<K, R, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyedBuilder")
            .field("builder", &self.builder)
            .field("max_keys", &self.max_keys)
            .finish_non_exhaustive()
    }
}
