use acs_macros::Validate;

#[derive(Validate)]
pub struct Request {
    #[validate(range(min = 500, max = 1))]
    pub count: Option<i32>,
}

fn main() {}
