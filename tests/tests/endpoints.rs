//! The generated crate's endpoint rules (from `api-spec/…/service.json`) agree with the full
//! `endpoints` table of Alibaba's metadata for every listed region, public and VPC.

use acs_runtime::endpoint::{
    CS_2015_12_15_ENDPOINTS, CS_2015_12_15_RULES, Endpoint, EndpointConfig,
};

#[test]
fn spec_rules_match_the_metadata_table() {
    for (region, host) in CS_2015_12_15_ENDPOINTS {
        let public = EndpointConfig {
            region: Some(region),
            ..EndpointConfig::default()
        };
        let from_spec = Endpoint::resolve(&acs_cs20151215::ENDPOINT_RULES, &public).unwrap();
        assert_eq!(from_spec.host, *host, "{region}");
        let vpc = EndpointConfig {
            vpc: true,
            ..public
        };
        assert_eq!(
            Endpoint::resolve(&acs_cs20151215::ENDPOINT_RULES, &vpc).unwrap(),
            Endpoint::resolve(&CS_2015_12_15_RULES, &vpc).unwrap(),
            "{region} (vpc)"
        );
    }
    let vpc = EndpointConfig {
        region: Some("cn-hangzhou"),
        vpc: true,
        endpoint_override: None,
    };
    assert_eq!(
        Endpoint::resolve(&acs_cs20151215::ENDPOINT_RULES, &vpc)
            .unwrap()
            .to_string(),
        "https://cs-vpc.cn-hangzhou.aliyuncs.com"
    );
}
