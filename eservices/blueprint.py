"""The URL map of the e-services: the catalogue, each service's form, the
receipt and the tracking page for citizens, and the case officers' pages."""
from flask import Blueprint

from eservices.services.felanmalan import views as fault
from eservices.services.lokalbokning import views as rooms
from eservices.views import agent, officer, public, statistics
from portal.i18n import localized_url

bp = Blueprint("eservices", __name__, template_folder="templates")
bp.register_error_handler(413, public.page_too_large)

# Citizens (and agents acting for them)
localized_url(bp, {"sv": "/e-tjanster", "en": "/e-services"}, public.catalogue)
localized_url(bp, {"sv": "/e-tjanster/<code>", "en": "/e-services/<code>"}, public.landing)
localized_url(bp, {"sv": "/e-tjanster/<code>/steg/<page_name>", "en": "/e-services/<code>/step/<page_name>"},
              public.form_page, methods=("GET", "POST"))
localized_url(bp, {"sv": "/e-tjanster/<code>/granska", "en": "/e-services/<code>/check"},
              public.check, methods=("GET", "POST"))
localized_url(bp, {"sv": "/e-tjanster/<code>/spara", "en": "/e-services/<code>/save"},
              public.save_for_later, methods=("POST",))
localized_url(bp, {"sv": "/e-tjanster/<code>/fil/<int:file_id>/ta-bort",
                   "en": "/e-services/<code>/file/<int:file_id>/remove"}, public.remove_file, methods=("POST",))
localized_url(bp, {"sv": "/e-tjanster/<code>/kvitto", "en": "/e-services/<code>/receipt"}, public.receipt)
localized_url(bp, {"sv": "/fortsatt/<token>", "en": "/continue/<token>"}, public.resume)
localized_url(bp, {"sv": "/arende/<token>", "en": "/case/<token>"}, public.track)

# The citizen's side of a case: a reply (with files) and reopening, under the tracking link
localized_url(bp, {"sv": "/arende/<token>/svara", "en": "/case/<token>/reply"}, public.reply_to_case,
              methods=("POST",))
localized_url(bp, {"sv": "/arende/<token>/oppna-igen", "en": "/case/<token>/reopen"}, public.reopen_case,
              methods=("POST",))

# Case officers
localized_url(bp, {"sv": "/handlaggning", "en": "/casework"}, officer.case_list)
localized_url(bp, {"sv": "/handlaggning/<int:case_id>", "en": "/casework/<int:case_id>"}, officer.case_page)
localized_url(bp, {"sv": "/handlaggning/<int:case_id>/atgard", "en": "/casework/<int:case_id>/action"},
              officer.case_action, methods=("POST",))
localized_url(bp, {"sv": "/handlaggning/<int:case_id>/fil/<int:file_id>",
                   "en": "/casework/<int:case_id>/file/<int:file_id>"}, officer.case_file)

# Officers' queue and case page: the audit log of case reads, for administrators
localized_url(bp, {"sv": "/admin/granskningslogg", "en": "/admin/audit-log"}, officer.audit_log)
# The contact centre: the agent workspace, a citizen's cases, call-back requests, the reception
localized_url(bp, {"sv": "/kontakt", "en": "/contact-log"}, agent.contact_log, methods=("GET", "POST"))
localized_url(bp, {"sv": "/kontakt/arenden", "en": "/contact-log/cases"}, agent.case_lookup,
              methods=("GET", "POST"))
localized_url(bp, {"sv": "/kontakt/ring-upp", "en": "/contact-log/call-backs"}, agent.callbacks)
localized_url(bp, {"sv": "/kontakt/ring-upp/<int:case_id>", "en": "/contact-log/call-backs/<int:case_id>"},
              agent.callback_done, methods=("POST",))
localized_url(bp, {"sv": "/kontakt/reception", "en": "/contact-log/reception"}, agent.reception,
              methods=("GET", "POST"))

# Lokalbokning: the rooms and their weeks, a booking under its case's tracking link, the rooms' admin pages
localized_url(bp, {"sv": "/lokaler", "en": "/venues"}, rooms.room_list)
localized_url(bp, {"sv": "/lokaler/<int:room_id>", "en": "/venues/<int:room_id>"}, rooms.room_page)
localized_url(bp, {"sv": "/arende/<token>/avboka", "en": "/case/<token>/cancel"}, rooms.cancel_booking,
              methods=("POST",))
localized_url(bp, {"sv": "/arende/<token>/bokning.ics", "en": "/case/<token>/booking.ics"}, rooms.booking_calendar)
localized_url(bp, {"sv": "/hantera-lokaler", "en": "/manage-venues"}, rooms.room_admin)
localized_url(bp, {"sv": "/hantera-lokaler/ny", "en": "/manage-venues/new"}, rooms.new_room, methods=("GET", "POST"))
localized_url(bp, {"sv": "/hantera-lokaler/<int:room_id>", "en": "/manage-venues/<int:room_id>"}, rooms.edit_room,
              methods=("GET", "POST"))

# --- felanmälan: the public list and page of reports, Leaflet's files, the admins' categories
localized_url(bp, {"sv": "/felanmalningar", "en": "/fault-reports"}, fault.fault_reports)
localized_url(bp, {"sv": "/felanmalningar/<int:case_id>", "en": "/fault-reports/<int:case_id>"},
              fault.fault_report)
bp.add_url_rule("/leaflet/<path:filename>", view_func=fault.leaflet_file)
localized_url(bp, {"sv": "/admin/felkategorier", "en": "/admin/fault-categories"}, fault.fault_categories)
localized_url(bp, {"sv": "/admin/felkategorier/ny", "en": "/admin/fault-categories/new"},
              fault.new_fault_category, methods=("GET", "POST"))
localized_url(bp, {"sv": "/admin/felkategorier/<int:category_id>", "en": "/admin/fault-categories/<int:category_id>"},
              fault.edit_fault_category, methods=("GET", "POST"))

# The manager's statistics of the cases: employees per förvaltning and the cost-allocation key
localized_url(bp, {"sv": "/statistik/anstallda", "en": "/statistics/employees"}, statistics.employees,
              methods=("GET", "POST"))
localized_url(bp, {"sv": "/statistik/fordelningsnyckel", "en": "/statistics/cost-allocation"},
              statistics.cost_allocation)
