use acs_macros::Validate;

#[derive(Validate)]
#[validate(exactly_one_of(key_pair, login_pasword))]
pub struct Request {
    pub key_pair: Option<String>,
    pub login_password: Option<String>,
}

fn main() {}
