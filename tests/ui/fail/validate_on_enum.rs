use acs_macros::Validate;

#[derive(Validate)]
pub enum Charge {
    PrePaid,
}

fn main() {}
