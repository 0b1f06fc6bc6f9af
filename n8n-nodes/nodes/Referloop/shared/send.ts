import type { IExecuteSingleFunctions, IHttpRequestOptions, PreSendAction } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isDataObject, readJsonObject } from './parse';

/**
 * Pre-send step for a JSON-object parameter: parse it (n8n keeps JSON fields as text) and put
 * it in the body, or stop the item with an error naming the field before anything is sent.
 */
export function sendJsonObject(parameterPath: string, bodyProperty: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const value = readJsonObject(this.getNodeParameter(parameterPath, '{}'));
		if (!value) {
			throw new NodeOperationError(this.getNode(), `${bodyProperty} must be a JSON object`, {
				itemIndex: this.getItemIndex(),
				description: 'For example {"plan": "pro", "seats": 3}',
			});
		}
		const body = isDataObject(requestOptions.body) ? requestOptions.body : {};
		return { ...requestOptions, body: { ...body, [bodyProperty]: value } };
	};
}
