/**
 * The outside harness's contacts file, byte for byte (tests only): three consented contacts, the
 * first again written with spaces, a number that is not one, and a contact without consent.
 */
export const HARNESS_CSV = `phone,first_name,last_name,tags,opted_in_at,consent_source,code
+4915112345678,Ana,Alves,vip;news,2026-01-05T10:00:00Z,signup-form,A1
"+44 7911 123456",Ben,,vip,2026-01-05T10:00:00Z,signup-form,B2
+55 11 98765-4321,,Costa,vip,2026-01-05T10:00:00Z,signup-form,C3
+49 151 12345678,Dup,Row,vip,2026-01-05T10:00:00Z,signup-form,D4
not-a-number,Bad,Row,vip,2026-01-05T10:00:00Z,signup-form,E5
+919876543210,No,Consent,vip,,,F6
`;
