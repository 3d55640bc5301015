use acs_macros::WireEnum;

#[derive(WireEnum)]
pub enum Charge {
    #[wire("PrePaid")]
    PrePaid,
    PostPaid,
}

fn main() {}
