use acs_macros::Operation;

#[derive(Operation)]
#[operation(action = "Scale", version = "2015-12-15", method = "FETCH", path = "/clusters", output = ())]
pub struct Request {
    pub count: Option<i32>,
}

fn main() {}
