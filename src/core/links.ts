/** Every link to a rule's page derives from the project's home (package.json `homepage`). */
export const HOMEPAGE = 'https://github.com/dfrewrite/dfrewrite';

export const ruleDocUrl = (ruleId: string): string => `${HOMEPAGE}/blob/main/docs/rules/${ruleId}.md`;

export const directivesDocUrl = `${HOMEPAGE}/blob/main/docs/directives.md`;
