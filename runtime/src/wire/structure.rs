//! Deserializing generated structures: one generic visitor for every structure.
//!
//! `#[derive(WireDeserialize)]` (crate `acs-macros`) implements [`WireStruct`] (the table of
//! the members' wire names and one `match` that reads member *i*) and a `Deserialize` that
//! calls [`deserialize_struct`]. The walk over the map is written and type-checked once, here,
//! instead of a field enum, its visitor and a map visitor per structure.
//!
//! The walk behaves as serde's derive does for a structure whose unknown keys are ignored:
//! - keys are identifiers (`deserialize_identifier`); a key not in [`WireStruct::MEMBERS`] has
//!   its value skipped with [`IgnoredAny`], so wrappers such as `serde_ignored` see it as
//!   ignored, and `serde_path_to_error` sees every key;
//! - a member given twice is an error, "duplicate field `x`";
//! - a member that is absent keeps the value of the structure's `Default`, except the members
//!   in [`WireStruct::REQUIRED`]: those are read from nothing, so an `Option` becomes `None`
//!   and anything else is an error, "missing field `x`";
//! - a sequence is read as the members in order (serde's derive accepts it too; the API never
//!   sends one), a short one being an error if it lacks a required member.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, Expected, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// A structure read from a map of wire names (implemented by `#[derive(WireDeserialize)]`).
pub trait WireStruct: Default {
    /// The Rust name, for messages ("expected struct `NAME`").
    const NAME: &'static str;
    /// The wire names of the members read from the input, in declaration order (skipped
    /// members are not here). [`read_member`](Self::read_member) takes a position in it.
    const MEMBERS: &'static [&'static str];
    /// Positions in [`MEMBERS`](Self::MEMBERS) of the members without a default: when absent,
    /// they are read from nothing (`None` for an `Option`, else "missing field").
    const REQUIRED: &'static [usize] = &[];

    /// Reads member `index` (a position in [`MEMBERS`](Self::MEMBERS)) from `deserializer`
    /// into `self`; any other index reads nothing.
    fn read_member<'de, D: Deserializer<'de>>(
        &mut self,
        index: usize,
        deserializer: D,
    ) -> Result<(), D::Error>;
}

/// The `Deserialize` of a [`WireStruct`]: a map walked once, see the module documentation.
pub fn deserialize_struct<'de, T: WireStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::MEMBERS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: WireStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut seen = Seen::new(T::MEMBERS.len());
        while let Some(key) = map.next_key_seed(Key(T::MEMBERS))? {
            match key {
                Some(index) => {
                    if !seen.insert(index) {
                        return Err(de::Error::duplicate_field(T::MEMBERS[index]));
                    }
                    map.next_value_seed(Member {
                        target: &mut out,
                        index,
                    })?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for &index in T::REQUIRED {
            if !seen.contains(index) {
                out.read_member(
                    index,
                    Missing {
                        name: T::MEMBERS[index],
                        error: PhantomData::<A::Error>,
                    },
                )?;
            }
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut out = T::default();
        for index in 0..T::MEMBERS.len() {
            let read = seq.next_element_seed(Member {
                target: &mut out,
                index,
            })?;
            if read.is_none() {
                // The sequence ended: the other members keep their defaults, unless required.
                if let Some(&required) = T::REQUIRED.iter().find(|&&r| r >= index) {
                    return Err(de::Error::invalid_length(
                        required,
                        &Elements::<T>(PhantomData),
                    ));
                }
                break;
            }
        }
        Ok(out)
    }
}

/// What a sequence read as structure `T` lacks: "struct T with N elements".
struct Elements<T>(PhantomData<T>);

impl<T: WireStruct> Expected for Elements<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match T::MEMBERS.len() {
            1 => write!(f, "struct {} with 1 element", T::NAME),
            n => write!(f, "struct {} with {n} elements", T::NAME),
        }
    }
}

/// Which members were read: a bit per member, on the stack up to 128 members.
struct Seen {
    small: u128,
    large: Vec<bool>,
}

impl Seen {
    fn new(members: usize) -> Self {
        Seen {
            small: 0,
            large: if members > 128 {
                vec![false; members]
            } else {
                Vec::new()
            },
        }
    }

    /// Marks `index`; false if it was already marked.
    fn insert(&mut self, index: usize) -> bool {
        if self.large.is_empty() {
            let bit = 1u128 << index;
            let new = self.small & bit == 0;
            self.small |= bit;
            new
        } else {
            !std::mem::replace(&mut self.large[index], true)
        }
    }

    fn contains(&self, index: usize) -> bool {
        if self.large.is_empty() {
            self.small & (1u128 << index) != 0
        } else {
            self.large[index]
        }
    }
}

/// A key: the position of a member, or `None` for a key the structure does not know.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|member| *member == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|member| member.as_bytes() == key))
    }

    /// A member by its position, as serde's derive accepts.
    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(index).ok().filter(|&i| i < self.0.len()))
    }
}

/// Reads the value of member `index` into `target`.
struct Member<'a, T> {
    target: &'a mut T,
    index: usize,
}

impl<'de, T: WireStruct> DeserializeSeed<'de> for Member<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.target.read_member(self.index, deserializer)
    }
}

/// The input of an absent member: `None` for an `Option`, else "missing field `name`".
struct Missing<E> {
    name: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.name))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests;
