package rules

// Right to work (rights.md §1-§11, "Work" rows; §9.1 for interim documents).
//
// OpenFisca-France models no right to work (rights.md §12.1 lists no such
// variable); this rule has no counterpart there.

var workRule = rule{
	id: RightWork,
	refs: []string{"L. 554-1 CESEDA", "R. 431-15-3 CESEDA", "R. 431-15-4 CESEDA", "L. 424-1 CESEDA",
		"L. 424-18 CESEDA", "L. 426-1 CESEDA", "L. 423-1 CESEDA", "L. 425-9 CESEDA", "L. 425-10 CESEDA",
		"R. 425-14 CESEDA", "L. 421-1 CESEDA", "L. 421-3 CESEDA", "L. 422-1 CESEDA", "L. 433-4 CESEDA",
		"L. 434-1 CESEDA", "L. 561-2 CESEDA", "L. 435-1 CESEDA", "L. 435-4 CESEDA", "L. 5221-5 C. travail"},
	sources: []string{"service-public F2741 (work of asylum seekers, 2019/2021)", "info-droits-etrangers",
		"rights.md §1-§11 (November 2026)"},
	docs: []string{DocFranceTravail, DocWorkPermit},
	fn:   work,
}

// titleWork returns the work level a residence title or protection status
// gives (rights.md §5-§9), with its reason and reference.
func titleWork(c *ctx, st StatusID) (Outcome, Level, Message, string) {
	switch st {
	case StatusRefugee:
		// Attestation "reconnu réfugié" then carte de résident: any job (R. 431-15-3).
		return Eligible, LevelWorkFull, msg("rights.work.reason.refugee"), "R. 431-15-3 CESEDA"
	case StatusSubsidiaryProtection:
		return Eligible, LevelWorkFull, msg("rights.work.reason.subsidiary_protection"), "R. 431-15-4 CESEDA"
	case StatusStateless:
		return Eligible, LevelWorkFull, msg("rights.work.reason.stateless_card"), "L. 424-18 CESEDA"
	case StatusResidentCard:
		return Eligible, LevelWorkFull, msg("rights.work.reason.resident_card"), "L. 426-1 CESEDA"
	case StatusVPF:
		return Eligible, LevelWorkFull, msg("rights.work.reason.vpf"), "L. 423-1 CESEDA"
	case StatusSickForeigner:
		return Eligible, LevelWorkFull, msg("rights.work.reason.vpf"), "L. 425-9 CESEDA"
	case StatusFamilyReunionResident:
		return Eligible, LevelWorkFull, msg("rights.work.reason.family_reunion"), "L. 434-1 CESEDA"
	case StatusFamilyReunionProtected:
		return Eligible, LevelWorkFull, msg("rights.work.reason.family_reunion"), "L. 561-2 CESEDA"
	case StatusEmployee:
		// Article numbers L. 421-1 not re-read (rights.md §9.4).
		return Eligible, LevelWorkLimited, msg("rights.work.reason.employee"), "L. 421-1 CESEDA"
	case StatusTemporaryWorker:
		return Eligible, LevelWorkLimited, msg("rights.work.reason.employee"), "L. 421-3 CESEDA"
	case StatusStudent:
		if c.s.Nationality == "DZ" {
			// Algerian students: work permit needed, 50 % limit (§9.5, OK).
			return Maybe, LevelWorkEmployer, msg("rights.work.reason.student_algerian"), "L. 422-1 CESEDA"
		}
		h := ParamAt(ParamStudentWorkHours, c.at)
		return Eligible, LevelWorkLimited, msg("rights.work.reason.student", "Hours", int(h.Value)), "L. 422-1 CESEDA"
	}
	return Maybe, "", msg("rights.work.reason.basis_unknown"), "L. 433-4 CESEDA"
}

func work(c *ctx) RightResult {
	var r RightResult
	s := c.s
	switch s.Status {
	case StatusRefugee, StatusSubsidiaryProtection, StatusStateless, StatusResidentCard, StatusVPF,
		StatusSickForeigner, StatusFamilyReunionResident, StatusFamilyReunionProtected, StatusEmployee,
		StatusTemporaryWorker, StatusStudent:
		o, l, m, ref := titleWork(c, s.Status)
		r.set(o, m, ref)
		r.Level = l
		if s.Status == StatusEmployee {
			r.note(uncMsg("rights.common.note.article_unchecked", "Article", "L. 421-1 CESEDA"))
		}
		if s.Status == StatusStudent && o == Eligible {
			r.note(msg("rights.work.note.student_declaration"))
		}
	case StatusMultiYearCard:
		// Same rights as the underlying card (§9.6).
		if s.Basis == "" {
			r.set(Maybe, msg("rights.work.reason.basis_unknown"), "L. 433-4 CESEDA")
			break
		}
		o, l, m, ref := titleWork(c, s.Basis)
		r.set(o, msg("rights.work.reason.multi_year_same"), "L. 433-4 CESEDA")
		r.because(m, ref)
		r.Level = l
	case StatusReceipt:
		workReceipt(c, &r)
	case StatusFilingCertificate:
		// §9.1: the ANEF filing certificate is not a residence document.
		r.set(NotEligible, msg("rights.work.reason.filing_certificate"))
	case StatusAPSSickChild:
		r.set(Eligible, msg("rights.work.reason.aps_sick_child"), "L. 425-10 CESEDA")
		r.Level = LevelWorkFull
	case StatusAPSTreatment:
		r.set(Maybe, uncMsg("rights.work.reason.aps_treatment"), "R. 425-14 CESEDA")
	case StatusAsylumNormal, StatusAsylumAccelerated:
		workAsylum(c, &r)
	case StatusAsylumDublin:
		// §3: OFPRA is not seised, so no access to work.
		r.set(NotEligible, msg("rights.work.reason.dublin"), "L. 554-1 CESEDA")
		c.pactReason(&r)
	case StatusAsylumRefused, StatusNoPermit:
		r.set(NotEligible, msg("rights.work.reason.no_title"))
		r.note(msg("rights.work.note.regularisation"), "L. 435-1 CESEDA", "L. 435-4 CESEDA")
		r.note(uncMsg("rights.work.note.l435_4_end"))
	case StatusStatelessApplicant:
		// §7: no right to stay while OFPRA examines the request.
		r.set(NotEligible, msg("rights.work.reason.stateless_applicant"))
	case StatusMinorInCare:
		r.set(Maybe, uncMsg("rights.work.reason.minor_apprenticeship"), "L. 5221-5 C. travail")
	default: // minors under assessment or contesting
		r.set(Unknown, msg("rights.work.reason.minor_not_covered"))
	}
	if r.Outcome == Eligible || r.Outcome == Maybe {
		if r.Level == LevelWorkEmployer {
			r.docs(DocWorkPermit)
		} else {
			r.docs(DocFranceTravail)
		}
	}
	return r
}

// workReceipt: §9.1. A renewal attestation allows work if the title renewed
// did; a favourable-decision attestation as the coming title; a first
// récépissé says so explicitly.
func workReceipt(c *ctx, r *RightResult) {
	s := c.s
	switch s.Interim {
	case InterimRenewal, InterimFavourable:
		if s.Basis == "" {
			r.set(Maybe, msg("rights.work.reason.receipt_basis_unknown"))
			return
		}
		o, l, m, ref := titleWork(c, s.Basis)
		r.set(o, msg("rights.work.reason.receipt_as_title"))
		r.because(m, ref)
		r.Level = l
	case InterimFirst:
		r.set(Maybe, msg("rights.work.reason.receipt_first"))
	default:
		r.set(Maybe, msg("rights.work.reason.receipt_kind_unknown"))
	}
}

// workAsylum: §1, L. 554-1 ff. CESEDA. No work for the first 6 months; if
// OFPRA has not decided within 6 months of filing, for reasons not due to the
// applicant, the employer may request a work permit on ANEF (no
// self-employment). If OFPRA refused within 6 months and the person appealed
// to the CNDA, there is no access.
func workAsylum(c *ctx, r *RightResult) {
	const ref = "L. 554-1 CESEDA"
	s := c.s
	defer func() {
		r.note(uncMsg("rights.work.note.bill_771"))
		c.pactReason(r)
	}()
	if !s.OFPRAFiledOn.IsZero() {
		opens := s.OFPRAFiledOn.AddMonths(6)
		if !s.OFPRARejectedOn.IsZero() && !s.OFPRARejectedOn.After(opens) {
			r.set(NotEligible, msg("rights.work.reason.asylum_rejected_early", "Date", s.OFPRARejectedOn), ref)
			return
		}
		if c.at.Before(opens) {
			r.set(NotEligible, msg("rights.work.reason.asylum_wait", "Date", opens), ref)
			r.OpensOn = opens
			return
		}
		r.OpensOn = opens
		if !s.OFPRARejectedOn.IsZero() {
			r.set(Maybe, msg("rights.work.reason.asylum_rejected_late", "Date", s.OFPRARejectedOn), ref)
			return
		}
		r.set(Maybe, msg("rights.work.reason.asylum_employer", "Date", opens), ref)
		r.Level = LevelWorkEmployer
		return
	}
	// OFPRA filing date unknown: it comes after the GUDA registration, so
	// registration + 6 months is the earliest possible date.
	if !s.StatusGrantedOn.IsZero() {
		earliest := s.StatusGrantedOn.AddMonths(6)
		if c.at.Before(earliest) {
			r.set(NotEligible, msg("rights.work.reason.asylum_wait_earliest", "Date", earliest), ref)
			r.OpensOn = earliest
			return
		}
	}
	r.set(Maybe, msg("rights.work.reason.asylum_dates_unknown"), ref)
}
