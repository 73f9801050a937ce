/**
 * WhatsApp addresses as the database keeps them (src/security/address-index.ts): the blind index of
 * the number, the real address sealed. For tests that find or make rows of a running service (its
 * start registered the index key and the at-rest key in this process).
 */
import { storedAddress } from "../../src/security/address-index.js";
import { seal } from "../../src/security/at-rest.js";

/** The stored address (blind index) of a WhatsApp JID or wa_id. */
export function waStored(address: string): string {
  return storedAddress("whatsapp", address);
}

/** The columns of a WhatsApp identity made directly in the database, as the inbox makes them. */
export function waIdentity(address: string): { channel: "whatsapp"; address: string; addressSealed: string } {
  return { channel: "whatsapp", address: waStored(address), addressSealed: seal(address) };
}
