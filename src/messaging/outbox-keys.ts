/**
 * The outbox key of a reminder's message: `reminder:<reminderId>:<identityId>`, and for the second
 * and later message of one reminder to one person (an announcement's file, then its text)
 * `...:<n>`. A sweep that runs again after a crash writes the same keys, so nothing goes twice.
 */
export function reminderOutboxKey(reminderId: string, identityId: string, nth = 1): string {
  return nth <= 1 ? `reminder:${reminderId}:${identityId}` : `reminder:${reminderId}:${identityId}:${nth}`;
}
