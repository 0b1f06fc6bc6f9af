import { render, renderString } from './iml/evaluate';
import { parseTemplate } from './iml/parse';

// The evaluator is a test tool; these pin down the parts of Make's IML semantics the app relies on.
describe('IML test evaluator', () => {
  const scope = {
    parameters: { email: 'ada@example.com', list: [{ key: 'plan', value: 'pro' }, { key: 'seats', value: '3' }] },
    body: { data: [{ id: 'a' }, { id: 'b' }], detail: '', title: 'Not Found', next_cursor: null },
    statusCode: 404,
  };

  it('keeps the type of a lone expression and makes text of mixed ones', () => {
    expect(renderString('{{body.data}}', scope)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(renderString('[{{statusCode}}] {{body.title}}', scope)).toBe('[404] Not Found');
    expect(renderString('{{parameters.missing}}', scope)).toBeUndefined();
  });

  it('indexes arrays from 1', () => {
    expect(renderString('{{body.data[1].id}}', scope)).toBe('a');
    expect(renderString('{{body.data[2].id}}', scope)).toBe('b');
    expect(renderString('{{body.data[3].id}}', scope)).toBeUndefined();
  });

  it('evaluates if, ifempty, comparisons and toCollection', () => {
    expect(renderString('{{ifempty(body.detail; body.title)}}', scope)).toBe('Not Found');
    expect(renderString("{{if(statusCode = 404; 'gone'; 'here')}}", scope)).toBe('gone');
    expect(renderString("{{if(statusCode != 404, 'gone', 'here')}}", scope)).toBe('here');
    expect(renderString("{{toCollection(parameters.list; 'key'; 'value')}}", scope)).toEqual({ plan: 'pro', seats: '3' });
    expect(renderString("{{toCollection(parameters.none; 'key'; 'value')}}", scope)).toEqual({});
  });

  it('leaves out undefined entries and spreads {{...}} keys', () => {
    expect(render({ a: '{{parameters.email}}', b: '{{parameters.nope}}', '{{...}}': "{{toCollection(parameters.list; 'key'; 'value')}}" }, scope)).toEqual({
      a: 'ada@example.com',
      plan: 'pro',
      seats: '3',
    });
  });

  it('refuses functions it does not implement instead of guessing', () => {
    expect(() => renderString('{{formatDate(now; "YYYY")}}', scope)).toThrow(/formatDate/);
    expect(() => parseTemplate('{{unterminated')).toThrow(/unterminated/);
  });
});
