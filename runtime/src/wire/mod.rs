//! Wire encodings that differ from the Rust type, and the reading of generated structures.
//!
//! - [`string_encoded`]: numbers and booleans that the API sends as JSON strings
//!   (`worker_data_disks[].size` is `"120"` on the wire, `u32` in Rust);
//! - [`WireStruct`] and [`deserialize_struct`]: the one generic `Deserialize` walk behind
//!   `#[derive(WireDeserialize)]` on every generated structure.

pub mod string_encoded;
mod structure;

pub use structure::{WireStruct, deserialize_struct};
