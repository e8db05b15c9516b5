import { describe, expect, it } from 'vitest';
import type { TemplateDefinition } from './template.ts';
import {
  bodyParamNames,
  buttonSlots,
  hasOptOut,
  hasOptOutButton,
  hasOptOutText,
  headerSlot,
  isSendable,
  placeholderNames,
  templateSlots,
} from './template.ts';
import { helloWorld, orderUpdate, receipt, springSale, welcome } from './template-fixtures.testing.ts';

function withComponents(components: TemplateDefinition['components'], base = helloWorld): TemplateDefinition {
  return { ...base, components };
}

describe('placeholderNames', () => {
  it('lists variables in order of first appearance, once each, tolerating inner spaces', () => {
    expect(placeholderNames('{{2}} then {{ 1 }} then {{2}}')).toEqual(['2', '1']);
    expect(placeholderNames('no variables {single} {{}}')).toEqual([]);
  });
});

describe('bodyParamNames', () => {
  it('sorts POSITIONAL variables by number, whatever their order in the text', () => {
    const t = withComponents([{ type: 'BODY', text: '{{2}} before {{1}} and {{10}}' }]);
    expect(bodyParamNames(t)).toEqual(['1', '2', '10']);
  });
  it('keeps NAMED variables in order of appearance', () => {
    expect(bodyParamNames(springSale)).toEqual(['first_name', 'code']);
  });
  it('is empty without a body or variables', () => {
    expect(bodyParamNames(helloWorld)).toEqual([]);
    expect(bodyParamNames(withComponents([]))).toEqual([]);
  });
});

describe('headerSlot', () => {
  it('maps each header format to its send-time parameter', () => {
    expect(headerSlot(springSale)).toEqual({ kind: 'text', name: 'first_name' });
    expect(headerSlot(receipt)).toEqual({ kind: 'media', mediaType: 'image' });
    expect(headerSlot(withComponents([{ type: 'HEADER', format: 'VIDEO' }]))).toEqual({
      kind: 'media',
      mediaType: 'video',
    });
    expect(headerSlot(withComponents([{ type: 'HEADER', format: 'GIF' }]))).toEqual({
      kind: 'media',
      mediaType: 'video',
    });
    expect(headerSlot(withComponents([{ type: 'HEADER', format: 'DOCUMENT' }]))).toEqual({
      kind: 'media',
      mediaType: 'document',
    });
    expect(headerSlot(withComponents([{ type: 'HEADER', format: 'LOCATION' }]))).toEqual({ kind: 'location' });
  });
  it('is null for a static text header or no header', () => {
    expect(headerSlot(withComponents([{ type: 'HEADER', format: 'TEXT', text: 'Hello' }]))).toBeNull();
    expect(headerSlot(helloWorld)).toBeNull();
  });
});

describe('buttonSlots', () => {
  it('keeps each button position; dynamic URL and copy code are required, quick reply optional', () => {
    expect(buttonSlots(springSale)).toEqual([
      { subType: 'quick_reply', index: 0, required: false },
      { subType: 'url', index: 1, required: true },
      { subType: 'copy_code', index: 2, required: true },
    ]);
  });
  it('ignores a static URL button', () => {
    expect(buttonSlots(receipt)).toEqual([]);
  });
});

describe('templateSlots', () => {
  it('gathers header, body and buttons', () => {
    expect(templateSlots(orderUpdate)).toEqual({ header: null, body: ['1', '2'], buttons: [] });
  });
});

describe('isSendable', () => {
  it('accepts only APPROVED', () => {
    expect(isSendable(welcome)).toBe(true);
    expect(isSendable({ ...welcome, status: 'PAUSED' })).toBe(false);
    expect(isSendable({ ...welcome, status: 'PENDING' })).toBe(false);
  });
});

describe('opt-out detection', () => {
  const quickReply = (text: string) => withComponents([{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text }] }]);

  it.each(['Stop promotions', 'Unsubscribe', 'STOP', 'Opt out', 'Parar promoções', 'Abmelden'])(
    'finds the quick reply "%s"',
    (text) => expect(hasOptOutButton(quickReply(text))).toBe(true),
  );
  it('does not take other quick replies or URL buttons for opt-out', () => {
    expect(hasOptOutButton(quickReply('Interested'))).toBe(false);
    const url = withComponents([
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Unsubscribe', url: 'https://x/' }] },
    ]);
    expect(hasOptOutButton(url)).toBe(false);
  });
  it('finds opt-out instructions in the footer or the body', () => {
    expect(hasOptOutText(springSale)).toBe(true);
    expect(hasOptOutText(withComponents([{ type: 'BODY', text: 'Deals! To opt-out reply no.' }]))).toBe(true);
    expect(hasOptOutText(withComponents([{ type: 'FOOTER', text: 'Tap Stop promotions to stop' }]))).toBe(true);
  });
  it('does not take a lower-case "stop" in prose for an opt-out', () => {
    expect(hasOptOutText(withComponents([{ type: 'BODY', text: "Don't stop shopping!" }]))).toBe(false);
    expect(hasOptOut(orderUpdate)).toBe(false);
  });
  it('hasOptOut accepts either', () => {
    expect(hasOptOut(welcome)).toBe(true);
    expect(hasOptOut(springSale)).toBe(true);
  });
});
