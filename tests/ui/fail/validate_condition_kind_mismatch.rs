use acs_macros::Validate;

#[derive(Validate)]
#[validate(required_if(members(period), when(charge = 1)))]
pub struct Request {
    #[validate(default = "PostPaid")]
    pub charge: Option<String>,
    pub period: Option<i32>,
}

fn main() {}
