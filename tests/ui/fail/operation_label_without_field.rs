use acs_macros::Operation;

#[derive(serde::Serialize)]
pub struct Response;

#[derive(serde::Serialize, Operation)]
#[operation(action = "Scale", version = "2015-12-15", method = "POST", path = "/clusters/{ClusterId}", output = Response)]
pub struct Request {
    pub count: Option<i32>,
}

fn main() {}
