use acs_macros::Operation;

#[derive(Operation)]
#[operation(action = "Scale", version = "2015-12-15", method = "POST", path = "/clusters/{ClusterId}", output = ())]
pub struct Request {
    #[operation(path = "ClusterId")]
    pub cluster_id: String,
}

fn main() {}
