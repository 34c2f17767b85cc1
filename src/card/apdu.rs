//! ISO 7816-4 command and response APDUs, and what their status words mean.

/// A command APDU.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length: `None` for no response data, `Some(0)` for "as much as there
    /// is" (256 short, 65,536 extended).
    pub le: Option<usize>,
}

/// Never print the data of a command: a VERIFY carries the PIN.
impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, {} data bytes, le {:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

impl Drop for Command {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.data);
    }
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Command {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    pub fn data(mut self, data: &[u8]) -> Command {
        self.data = data.to_vec();
        self
    }

    pub fn le(mut self, le: usize) -> Command {
        self.le = Some(le);
        self
    }

    /// Whether this command needs the extended length form.
    pub fn is_extended(&self) -> bool {
        self.data.len() > 255 || self.le.is_some_and(|l| l > 256)
    }

    /// The bytes: short form when it fits, else extended (Lc 00 hi lo, Le hi lo).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        if self.is_extended() {
            out.push(0);
            if !self.data.is_empty() {
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                // 65,536 is written as 00 00.
                out.extend_from_slice(&((le % 65_536) as u16).to_be_bytes());
            }
        } else {
            if !self.data.is_empty() {
                out.push(self.data.len() as u8);
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                out.push((le % 256) as u8);
            }
        }
        out
    }

    /// Parses command bytes (short or extended form), as a card reads them.
    pub fn parse(b: &[u8]) -> Option<Command> {
        if b.len() < 4 {
            return None;
        }
        let mut c = Command::new(b[0], b[1], b[2], b[3]);
        let body = &b[4..];
        match body.len() {
            0 => {}
            1 => c.le = Some(if body[0] == 0 { 256 } else { body[0] as usize }),
            _ if body[0] != 0 => {
                let lc = body[0] as usize;
                let rest = &body[1..];
                if rest.len() < lc {
                    return None;
                }
                c.data = rest[..lc].to_vec();
                match rest.len() - lc {
                    0 => {}
                    1 => {
                        let le = rest[lc] as usize;
                        c.le = Some(if le == 0 { 256 } else { le });
                    }
                    _ => return None,
                }
            }
            // Extended: 00 then two length bytes.
            3 => {
                let le = u16::from_be_bytes([body[1], body[2]]) as usize;
                c.le = Some(if le == 0 { 65_536 } else { le });
            }
            n if n >= 3 => {
                let lc = u16::from_be_bytes([body[1], body[2]]) as usize;
                let rest = &body[3..];
                if rest.len() < lc {
                    return None;
                }
                c.data = rest[..lc].to_vec();
                match rest.len() - lc {
                    0 => {}
                    2 => {
                        let le = u16::from_be_bytes([rest[lc], rest[lc + 1]]) as usize;
                        c.le = Some(if le == 0 { 65_536 } else { le });
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
        Some(c)
    }
}

/// A response APDU: data and the status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    /// Splits the bytes a card returned; `None` when there are fewer than two.
    pub fn parse(bytes: &[u8]) -> Option<Response> {
        let n = bytes.len().checked_sub(2)?;
        Some(Response {
            data: bytes[..n].to_vec(),
            sw: u16::from_be_bytes([bytes[n], bytes[n + 1]]),
        })
    }

    pub fn ok(data: Vec<u8>) -> Response {
        Response { data, sw: 0x9000 }
    }

    pub fn status(sw: u16) -> Response {
        Response {
            data: Vec::new(),
            sw,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }

    pub fn status_word(&self) -> Sw {
        Sw::of(self.sw)
    }
}

/// What a status word means to this program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sw {
    Ok,
    /// 63 Cx: wrong PIN (or the answer to the tries query), x tries left.
    TriesLeft(u8),
    /// 69 83 / 69 84: the PIN is blocked.
    Blocked,
    /// 69 82: VERIFY first.
    SecurityNotSatisfied,
    /// 69 85: commands in the wrong order.
    ConditionsNotSatisfied,
    /// 6A 82: no such file or application.
    NotFound,
    /// 62 83: the selected file is deactivated (card invalidated).
    Deactivated,
    /// 61 xx: xx more bytes to fetch with GET RESPONSE.
    MoreData(u8),
    /// 6C xx: resend with Le = xx.
    WrongLe(u8),
    /// 6D 00, 6E 00, 6A 86, 6A 80, 67 00: the card does not know this form of the command.
    Unsupported,
    Other(u16),
}

impl Sw {
    pub fn of(sw: u16) -> Sw {
        let [hi, lo] = sw.to_be_bytes();
        match (hi, lo) {
            (0x90, 0x00) => Sw::Ok,
            (0x63, x) if x & 0xF0 == 0xC0 => Sw::TriesLeft(x & 0x0F),
            (0x69, 0x83 | 0x84) => Sw::Blocked,
            (0x69, 0x82) => Sw::SecurityNotSatisfied,
            (0x69, 0x85) => Sw::ConditionsNotSatisfied,
            (0x6A, 0x82) => Sw::NotFound,
            (0x62, 0x83) => Sw::Deactivated,
            (0x61, x) => Sw::MoreData(x),
            (0x6C, x) => Sw::WrongLe(x),
            (0x6D, 0x00) | (0x6E, 0x00) | (0x6A, 0x86) | (0x6A, 0x80) | (0x67, 0x00) => {
                Sw::Unsupported
            }
            _ => Sw::Other(sw),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn short_and_extended_forms_round_trip() {
        let cases = [
            Command::new(0, 0xA4, 4, 0).data(&[1; 16]).le(0),
            Command::new(0, 0x20, 0, 0x88),
            Command::new(0, 0xB0, 0, 0).le(4),
            Command::new(0, 0x2A, 0x9E, 0x9A).data(&[7; 256]).le(256),
        ];
        let bytes: Vec<Vec<u8>> = cases.iter().map(Command::to_bytes).collect();
        assert_eq!(bytes[1], [0, 0x20, 0, 0x88]);
        assert_eq!(bytes[2], [0, 0xB0, 0, 0, 4]);
        assert_eq!(&bytes[3][4..7], [0, 1, 0], "extended Lc");
        assert_eq!(&bytes[3][bytes[3].len() - 2..], [1, 0], "extended Le 256");
        for (c, b) in cases.iter().zip(&bytes) {
            let back = Command::parse(b).unwrap();
            assert_eq!(back.data, c.data);
            assert_eq!(
                (back.cla, back.ins, back.p1, back.p2),
                (c.cla, c.ins, c.p1, c.p2)
            );
        }
        assert_eq!(Command::parse(&bytes[0]).unwrap().le, Some(256));
    }

    #[test]
    fn debug_never_shows_data() {
        let c = Command::new(0, 0x20, 0, 0x88).data(b"123456");
        assert!(!format!("{c:?}").contains("123456"));
        assert!(!format!("{c:?}").contains("31"));
    }

    #[test]
    fn status_words() {
        assert_eq!(Sw::of(0x63C2), Sw::TriesLeft(2));
        assert_eq!(Sw::of(0x6983), Sw::Blocked);
        assert_eq!(Sw::of(0x6D00), Sw::Unsupported);
        assert_eq!(Response::parse(&[1, 2, 0x90, 0]).unwrap().data, [1, 2]);
        assert!(Response::parse(&[0x90]).is_none());
    }
}
