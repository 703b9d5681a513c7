//! ISO 3166-1 alpha-2 country codes (the officially assigned ones), for `model_provider_data.country_code`:
//! Azure signs the Anthropic Marketplace terms with it, and a wrong code fails only after a long apply.

const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT \
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM \
FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO \
JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA \
SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US \
UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case, as the standard writes them).
pub fn is_iso_3166_alpha2(code: &str) -> bool {
    code.len() == 2 && CODES.split_ascii_whitespace().any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_assigned_codes_and_nothing_else() {
        assert_eq!(CODES.split_ascii_whitespace().count(), 249);
        for ok in ["US", "DK", "GB", "DE", "JP", "ZW"] {
            assert!(is_iso_3166_alpha2(ok), "{ok}");
        }
        for bad in ["us", "UK", "XX", "USA", "", "U"] {
            assert!(!is_iso_3166_alpha2(bad), "{bad}");
        }
    }
}
