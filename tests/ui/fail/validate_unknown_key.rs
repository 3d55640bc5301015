use acs_macros::Validate;

#[derive(Validate)]
pub struct Request {
    #[validate(rnage(min = 1, max = 5))]
    pub count: Option<i32>,
}

fn main() {}
