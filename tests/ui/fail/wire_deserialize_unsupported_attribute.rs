use acs_macros::WireDeserialize;

#[derive(Default, WireDeserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Response {
    #[serde(rename = "TaskId")]
    pub task_id: Option<String>,
    #[serde(flatten)]
    pub rest: Option<String>,
    #[serde(default = "five")]
    pub count: Option<i32>,
}

fn main() {}
