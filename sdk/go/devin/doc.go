// Declare a Devin enterprise (organizations, ACU limits, service users and their API keys) as code with Pulumi, plus a faithful local Devin v3 API emulator.
package devin
