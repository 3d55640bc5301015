use acs_macros::Validate;

#[derive(Validate)]
pub struct Request {
    #[validate(pattern(regex = "^[a-z", describe = "lower-case letters"))]
    pub name: Option<String>,
}

fn main() {}
