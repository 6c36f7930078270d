import { checkGrants, effectiveRule, parseGrants, ruleAllows, type GrantSubject } from './forum-grants';

const anonymous: GrantSubject = { signedIn: false, roles: [], spaceRole: null };
const member: GrantSubject = { signedIn: true, roles: [], spaceRole: null };
const staff: GrantSubject = { signedIn: true, roles: ['staff'], spaceRole: null };
const spaceMod: GrantSubject = { signedIn: true, roles: [], spaceRole: 'moderator' };

describe('category grants', () => {
  it('lets everyone in with anonymous, and every signed-in person with member', () => {
    expect(ruleAllows(['anonymous'], anonymous)).toBe(true);
    expect(ruleAllows(['member'], anonymous)).toBe(false);
    expect(ruleAllows(['member'], member)).toBe(true);
  });

  it('matches global roles by name and space roles by rank', () => {
    expect(ruleAllows(['staff'], member)).toBe(false);
    expect(ruleAllows(['staff'], staff)).toBe(true);
    expect(ruleAllows(['space:member'], spaceMod)).toBe(true);
    expect(ruleAllows(['space:moderator'], spaceMod)).toBe(true);
    expect(ruleAllows(['space:admin'], spaceMod)).toBe(false);
    expect(ruleAllows(['space:member'], member)).toBe(false);
  });

  it('lets nobody in with an empty rule', () => {
    expect(ruleAllows([], staff)).toBe(false);
  });

  it('takes the category’s own rule, else its parent’s, else inherits', () => {
    expect(effectiveRule({ reply: ['staff'] }, { reply: ['member'] }, 'reply')).toEqual(['staff']);
    expect(effectiveRule({}, { reply: ['member'] }, 'reply')).toEqual(['member']);
    expect(effectiveRule({}, null, 'read')).toBeNull();
  });

  it('reads stored grants forgivingly and checks given ones strictly', () => {
    expect(parseGrants('not json')).toEqual({});
    expect(parseGrants('{"read":["staff"],"other":1}')).toEqual({ read: ['staff'] });
    expect(checkGrants({ read: ['staff', 'staff', 'member'], reply: null })).toEqual({ read: ['member', 'staff'] });
    expect(() => checkGrants({ delete: ['staff'] })).toThrow();
    expect(() => checkGrants({ read: ['<script>'] })).toThrow();
    expect(() => checkGrants({ read: 'staff' })).toThrow();
  });
});
