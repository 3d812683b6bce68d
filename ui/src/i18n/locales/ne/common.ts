// नेपाली: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'लोड हुँदैछ…',
  'date.wareki': '{era} {year} वर्ष, {month} महिना {day} गते',
  'date.firstYear': '1',
  'date.warekiYear': '{era} {year} वर्ष',
  'era.meiji': 'मेइजी',
  'era.taisho': 'ताइशो',
  'era.showa': 'शोवा',
  'era.heisei': 'हेइसेइ',
  'era.reiwa': 'रेइवा',
  'visit.signature.area': 'हस्ताक्षर गर्ने ठाउँ',
  'visit.signature.hint': 'कलम वा औँलाले बाकसभित्र हस्ताक्षर गर्नुहोस्।',
  'visit.signature.clear': 'फेरि लेख्ने',
  'maintenance.heading': 'प्रणाली बन्द हुने सूचना',
  'maintenance.window': 'प्रणाली {from} देखि {to} सम्म बन्द हुन्छ।',
  'maintenance.active': 'मर्मतका लागि प्रणाली अहिले बन्द छ।',
  'status.heading': 'प्रणालीको अवस्था',
  'status.tenant': 'नगरपालिका: {tenant}',
  'status.none': 'प्रणाली बन्द गर्ने कुनै योजना छैन।',
  'status.failed': 'अवस्था लोड गर्न सकिएन। केही समयपछि फेरि प्रयास गर्नुहोस्।',

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'क्यामेराले पढ्नुहोस्',
  'camera.title': 'क्यामेराले QR कोड पढ्नुहोस्',
  'camera.hint': 'QR कोडलाई सेतो फ्रेमभित्र देखाउनुहोस्।',
  'camera.video': 'क्यामेराको दृश्य',
  'camera.starting': 'क्यामेरा सुरु हुँदैछ…',
  'camera.scanning': 'पढ्दैछ…',
  'camera.close': 'बन्द गर्नुहोस्',
  'camera.problem.unsupported': 'यो स्क्रिनमा क्यामेरा प्रयोग गर्न सकिँदैन।',
  'camera.problem.denied': 'क्यामेरा प्रयोग गर्ने अनुमति छैन। क्यामेरा प्रयोग गर्न अनुमति दिएर फेरि प्रयास गर्नुहोस्।',
  'camera.problem.none': 'क्यामेरा भेटिएन। क्यामेरा जोडिएको छ कि छैन जाँच गर्नुहोस्।',
  'camera.problem.busy': 'अर्को एपले क्यामेरा प्रयोग गरिरहेको छ। त्यो एप बन्द गरेर फेरि प्रयास गर्नुहोस्।',
  'camera.problem.failed': 'क्यामेरा प्रयोग गर्न सकिएन। फेरि प्रयास गर्नुहोस्।',
};
