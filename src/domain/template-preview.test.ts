import { describe, expect, it } from 'vitest';
import { welcome } from './template-fixtures.testing.ts';
import { previewMessage } from './template-preview.ts';

describe('previewMessage', () => {
  it('fills the body with the rendered values, and shows the variables when there are none', () => {
    const rendered = {
      name: 'welcome',
      languageCode: 'en_US',
      body: [{ type: 'text' as const, text: 'Ana' }],
      buttons: [],
    };
    const filled = previewMessage(welcome, rendered);
    expect(filled.body).toContain('Ana');
    expect(filled.body).not.toContain('{{1}}');
    expect(filled.buttons).toContain('Stop promotions');
    expect(previewMessage(welcome, null).body).toContain('{{1}}');
  });
});
