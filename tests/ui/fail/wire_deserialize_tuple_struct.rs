use acs_macros::WireDeserialize;

#[derive(Default, WireDeserialize)]
pub struct Id(String);

fn main() {}
