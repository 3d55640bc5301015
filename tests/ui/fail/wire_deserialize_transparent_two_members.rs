use acs_macros::WireDeserialize;

#[derive(Default, WireDeserialize)]
#[serde(transparent)]
pub struct Response {
    pub body: Option<Vec<String>>,
    pub request_id: Option<String>,
}

fn main() {}
