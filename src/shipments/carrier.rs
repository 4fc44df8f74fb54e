//! Carriers and their tracking numbers: the formats each carrier uses and the check-digit rule
//! that proves a number is one of them (a random 12-digit number in a newsletter passes FedEx's
//! rule one time in eleven, which is why detection also needs the carrier's context).
//!
//! - UPS: `1Z` + 16 letters and digits; mod 10 over the 15 after `1Z` (letters as
//!   `(ASCII − 3) mod 10`, odd positions doubled).
//! - FedEx Express: 12 digits; weights 3, 1, 7 from the left over the first 11, sum mod 11, a 10
//!   reads 0. FedEx Ground: 15 digits, GS1 mod 10 (weights 3, 1 from the right).
//! - USPS: 20 to 22 digits starting `91`-`95` (IMpb), GS1 mod 10; or the UPU S10 form
//!   `AA123456789US` (weights 8 6 4 2 3 5 9 7, `11 − sum mod 11`, 10 → 0, 11 → 5).
//! - DHL Express: 10 digits, the first 9 mod 7.

use serde::{Deserialize, Serialize};

/// A carrier officectl recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Carrier {
    Ups,
    Fedex,
    Usps,
    Dhl,
}

impl Carrier {
    pub const ALL: [Carrier; 4] = [Carrier::Ups, Carrier::Fedex, Carrier::Usps, Carrier::Dhl];

    /// The name in `ShipmentEvent`s and keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Carrier::Ups => "ups",
            Carrier::Fedex => "fedex",
            Carrier::Usps => "usps",
            Carrier::Dhl => "dhl",
        }
    }

    /// Domains the carrier sends notifications from (subdomains included).
    pub fn sender_domains(self) -> &'static [&'static str] {
        match self {
            Carrier::Ups => &["ups.com"],
            Carrier::Fedex => &["fedex.com"],
            Carrier::Usps => &["usps.com", "usps.gov"],
            Carrier::Dhl => &["dhl.com", "dhl.de"],
        }
    }

    /// Words that name the carrier in a merchant's mail (lower case, whole words).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Carrier::Ups => &["ups"],
            Carrier::Fedex => &["fedex"],
            Carrier::Usps => &["usps", "postal service"],
            Carrier::Dhl => &["dhl"],
        }
    }

    /// The carrier's public tracking page for `number`.
    pub fn tracking_url(self, number: &str) -> String {
        match self {
            Carrier::Ups => format!("https://www.ups.com/track?tracknum={number}"),
            Carrier::Fedex => format!("https://www.fedex.com/fedextrack/?trknbr={number}"),
            Carrier::Usps => {
                format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}")
            }
            Carrier::Dhl => {
                format!("https://www.dhl.com/en/express/tracking.html?AWB={number}&brand=DHL")
            }
        }
    }

    /// Whether `number` (upper case, no spaces) is one of this carrier's, check digit included.
    pub fn accepts(self, number: &str) -> bool {
        let digits = number.bytes().all(|b| b.is_ascii_digit());
        match self {
            Carrier::Ups => {
                number.len() == 18
                    && number.starts_with("1Z")
                    && number.bytes().all(|b| b.is_ascii_alphanumeric())
                    && ups_check(number)
            }
            Carrier::Fedex => match number.len() {
                12 if digits => fedex_express_check(number),
                15 if digits => gs1_mod10(number),
                _ => false,
            },
            Carrier::Usps => {
                (digits
                    && (20..=22).contains(&number.len())
                    && matches!(&number[..2], "91" | "92" | "93" | "94" | "95")
                    && gs1_mod10(number))
                    || s10_check(number)
            }
            Carrier::Dhl => digits && number.len() == 10 && dhl_express_check(number),
        }
    }
}

fn digit(b: u8) -> u32 {
    u32::from(b - b'0')
}

fn check_digit(number: &str) -> Option<u32> {
    number.bytes().last().filter(u8::is_ascii_digit).map(digit)
}

fn ups_check(number: &str) -> bool {
    let body = &number.as_bytes()[2..17];
    let mut sum = 0;
    for (i, &b) in body.iter().enumerate() {
        let n = if b.is_ascii_digit() {
            digit(b)
        } else {
            u32::from(b.wrapping_sub(3)) % 10
        };
        sum += if i % 2 == 1 { 2 * n } else { n };
    }
    check_digit(number) == Some((10 - sum % 10) % 10)
}

fn fedex_express_check(number: &str) -> bool {
    const WEIGHTS: [u32; 3] = [3, 1, 7];
    let body = &number.as_bytes()[..11];
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &b)| digit(b) * WEIGHTS[i % 3])
        .sum();
    check_digit(number) == Some(sum % 11 % 10)
}

/// GS1 mod 10: weights 3, 1, … from the digit left of the check digit.
fn gs1_mod10(number: &str) -> bool {
    let body = &number.as_bytes()[..number.len() - 1];
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| digit(b) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    check_digit(number) == Some((10 - sum % 10) % 10)
}

fn s10_check(number: &str) -> bool {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let b = number.as_bytes();
    if b.len() != 13
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[11..].iter().all(u8::is_ascii_uppercase)
        || !b[2..11].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let sum: u32 = b[2..10]
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| digit(d) * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    };
    digit(b[10]) == check
}

fn dhl_express_check(number: &str) -> bool {
    let body: u64 = number[..9].parse().unwrap_or(0);
    check_digit(number) == Some((body % 7) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_numbers_pass_and_altered_ones_fail() {
        // Numbers published as examples by the carriers or widely used in their docs.
        for (carrier, number) in [
            (Carrier::Ups, "1Z999AA10123456784"),
            (Carrier::Ups, "1Z2203480342495730"),
            (Carrier::Fedex, "986578788855"),
            (Carrier::Fedex, "477179081230"),
        ] {
            assert!(carrier.accepts(number), "{carrier:?} {number}");
            // Any other last digit fails.
            let stem = &number[..number.len() - 1];
            let last = number.as_bytes()[number.len() - 1];
            for d in b'0'..=b'9' {
                if d != last {
                    let altered = format!("{stem}{}", d as char);
                    assert!(!carrier.accepts(&altered), "{carrier:?} {altered}");
                }
            }
        }
    }

    #[test]
    fn each_rule_by_hand() {
        // GS1: 9400100000000000000001 — body sum (…0·3 + 1·1 + …) computed below.
        let body = "940010000000000000000";
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
            .sum();
        let good = format!("{body}{}", (10 - sum % 10) % 10);
        assert!(Carrier::Usps.accepts(&good));
        // S10: RA123456785US — 1·8+2·6+3·4+4·2+5·3+6·5+7·9+8·7 = 204, 11 − 204 mod 11 = 5.
        assert!(Carrier::Usps.accepts("RA123456785US"));
        assert!(!Carrier::Usps.accepts("RA123456784US"));
        // DHL Express: 123456789 mod 7 = 1.
        assert!(Carrier::Dhl.accepts("1234567891"));
        assert!(!Carrier::Dhl.accepts("1234567890"));
        assert!(!Carrier::Ups.accepts("1Z999AA1012345678"));
    }
}
