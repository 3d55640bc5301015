use acs_macros::WireDeserialize;

#[derive(WireDeserialize)]
pub enum State {
    Running,
    Failed,
}

fn main() {}
